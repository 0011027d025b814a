"""The README's commands: any Python 3.11 or newer, pip's progress visible, and CI runs exactly its test command."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, re.S)]


def test_the_quick_start_takes_any_python_from_3_11_and_shows_pip_progress():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start")[1].split("## Demo accounts")[0]
    run, tests = _blocks(quick)[:2]
    for command in (run, tests):
        assert "python3.11" not in command and " -q" not in command, command
        assert command.startswith("python3 -c") and "(3, 11)" in command
    assert run.endswith(".venv/bin/oms-demo") and tests.endswith("-m pytest -n 2")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci, "CI must run the README's test command verbatim"


def test_the_version_check_passes_here_and_refuses_an_old_python():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    check = re.search(r"python3 -c '([^']+)'", readme).group(1)
    assert subprocess.run([sys.executable, "-c", check]).returncode == 0
    old = subprocess.run([sys.executable, "-c", check.replace("(3, 11)", "(99, 0)")], capture_output=True, text=True)
    assert old.returncode == 1 and "3.11 or newer" in old.stderr
