"""Reading the demo content files (oms/demo_data/<slug>.toml)."""
import tomllib
from functools import lru_cache
from pathlib import Path

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo_data"


@lru_cache(maxsize=None)
def load_demo_data(slug: str) -> dict:
    path = DEMO_DIR / f"{slug}.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def female_surname(male: str) -> str:
    if male.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return male + "а"
    if male.endswith("ский"):
        return male[:-4] + "ская"
    if male.endswith("цкий"):
        return male[:-4] + "цкая"
    return male
