"""Load: N simulated users reading and writing against gunicorn with 2 workers, then a lost-write check.

    python bench/load.py                      # SQLite, 50 users, 120 s
    python bench/load.py --seconds 20         # a quick run
    python bench/load.py --pg postgresql://postgres@127.0.0.1:5432/oms_bench
    python bench/load.py --flood 8            # 8 connections flood /login with made-up addresses, on and off
                                              # every 15 s: the users' p95 beside it must stay within 2x

For each database: a fresh database is built (`flask db upgrade`, `flask demo`), gunicorn
is started on 127.0.0.1 (2 workers, gthread, 16 threads as in README), and every simulated user
logs in with a demo account and works until the time is up: opening the pages of its menu, searching, and —
the district admins — adding users and changing the roles of the users they added (a
versioned row: the role form carries the version). At the end the database is read
directly: every write the app acknowledged must be there (lost writes = 0).

PostgreSQL runs as in production: the database (DROPPED AND RECREATED: give a scratch
name) is owned by a role that is not a superuser, and gunicorn connects as another role
that owns nothing, so row-level security is in force (roles oms_bench_owner, oms_bench_app).

Only 127.0.0.1 is contacted; every loop ends at the deadline.
"""
import argparse
import http.cookiejar
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from oms.demo_steps import DEMO_DAY  # noqa: E402

DEMO_SLUGS = ("kurchaloy", "serdobsk", "strezhevoy", "kalar")
DEMO_PASSWORD = "oms-demo"
ROLES = ("admin", "methodist", "leader", "teacher")
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')
TOKEN_RE = re.compile(r'name="form_token"[^>]*value="([^"]+)"')
NAV_RE = re.compile(r'<nav class="mainnav".*?</nav>', re.S)
HREF_RE = re.compile(r'href="([^"]+)"')
ROW_RE = re.compile(r'<tr id="user-(\d+)">.*?name="version" value="(\d+)"', re.S)
SEARCH_WORDS = ("ова", "ин", "Методист", "teacher", "ева", "Педагог")


# ---- the server -----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask_cli(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def base_env(instance: Path) -> dict:
    env = dict(os.environ)
    # The demo's own day, as `oms-demo` serves it: on the real date the plan of a later school year has no items
    # (its page redirects, and a reader counted that as an error).
    env.update(PYTHONPATH=str(ROOT), SECRET_KEY=secrets.token_hex(32), OMS_INSTANCE_PATH=str(instance),
               OMS_TODAY=DEMO_DAY.isoformat())
    for key in ("DATABASE_URL", "MIGRATION_DATABASE_URL", "OMS_HTTPS", "OMS_PROXY_HOPS"):
        env.pop(key, None)
    return env


def prepare_sqlite(tmp: Path) -> tuple[dict, str]:
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = base_env(tmp)
    env["DATABASE_URL"] = url
    flask_cli(env, "db", "upgrade")
    flask_cli(env, "demo")
    return env, url


def prepare_postgresql(tmp: Path, url: str) -> tuple[dict, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin_url = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1)
                         if url.startswith("postgresql://") else url)
    name = admin_url.database
    maintenance = create_engine(admin_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with maintenance.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        for role in ("oms_bench_owner", "oms_bench_app"):
            if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar():
                conn.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS"))
        conn.execute(text(f'CREATE DATABASE "{name}" OWNER oms_bench_owner'))
    maintenance.dispose()
    owner = admin_url.set(username="oms_bench_owner", password=None).render_as_string(hide_password=False)
    app_role = admin_url.set(username="oms_bench_app", password=None).render_as_string(hide_password=False)
    env = base_env(tmp)
    env.update(DATABASE_URL=owner)
    flask_cli(env, "db", "upgrade")
    env.update(MIGRATION_DATABASE_URL=owner)
    flask_cli(env, "grant-app-role", "oms_bench_app")
    env.update(DATABASE_URL=app_role)
    flask_cli(env, "demo")  # through the app's role, as an operator would after deploying
    return env, owner


class Server:
    def __init__(self, env: dict, workers: int, threads: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "gthread",
             "--threads", str(threads), "--bind", f"127.0.0.1:{self.port}", "--timeout", "60",
             "--access-logfile", "-", "--error-logfile", "-", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the group we started: gunicorn and its workers
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def errors_logged(self, keep: str | None = None) -> list[str]:
        self.log.seek(0)
        text = self.log.read().decode(errors="replace")
        if keep:
            Path(keep).write_text(text)
        lines = text.splitlines()
        return [line for line in lines if "Traceback" in line or "ERROR" in line or "database is locked" in line]


# ---- the simulated users -------------------------------------------------------------------

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


SETUP_KINDS = ("login", "menu")  # a user's log-in and the look at its menu: not part of the mixed phase


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = defaultdict(list)
        self.errors = defaultdict(int)
        self.created = {}          # email -> role acknowledged at creation
        self.roles = {}            # email -> last acknowledged role
        self.role_changes = 0
        self.conflicts = 0

        self.phase = ""            # "", or "alone" / "flood" while a login flood is switched on and off
        self.by_phase = defaultdict(list)

    def add(self, kind: str, seconds: float, phase: str = ""):
        with self.lock:
            self.latency[kind].append(seconds)
            if phase and kind not in SETUP_KINDS:
                self.by_phase[phase].append(seconds)

    def error(self, what: str):
        with self.lock:
            self.errors[what] += 1


class User:
    def __init__(self, n: int, base: str, stats: Stats, deadline: float, think: tuple[float, float]):
        self.n = n
        self.base = base
        self.stats = stats
        self.deadline = deadline
        self.think = think
        self.role = ROLES[n % len(ROLES)]
        self.slug = DEMO_SLUGS[(n // len(ROLES)) % len(DEMO_SLUGS)]
        self.email = f"{self.role}@{self.slug}.demo.oms"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.csrf = ""
        self.location = None  # the last answer's Location header
        self.pages: list[str] = []
        self.mine: dict[str, tuple[int, int, str]] = {}  # email -> (id, version, role)
        self.rnd = random.Random(n)

    def request(self, kind, path, data=None, htmx=False, expect=(200,)):
        headers = {"User-Agent": f"oms-bench/{self.n}"}
        if htmx:
            headers["HX-Request"] = "true"
        body = None
        if data is not None:
            data = dict(data, csrf_token=self.csrf)
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        req = urllib.request.Request(self.base + path, data=body, headers=headers)
        start, phase = time.perf_counter(), self.stats.phase
        try:
            with self.opener.open(req, timeout=180 if kind == "login" else 60) as resp:
                status, text = resp.status, resp.read().decode()
                self.location = resp.headers.get("Location")
        except urllib.error.HTTPError as err:
            status, text = err.code, err.read().decode(errors="replace")
            self.location = err.headers.get("Location")
        except OSError as err:
            self.stats.add(kind, time.perf_counter() - start, phase)
            self.stats.error(f"{kind} {path.split('?')[0]}: {type(err).__name__}")
            return None, ""
        self.stats.add(kind, time.perf_counter() - start, phase)
        if status not in expect:
            self.stats.error(f"{kind} {re.sub(r'/[0-9]+', '/N', path.split('?')[0])}: HTTP {status}")
        match = CSRF_RE.search(text)
        if match:
            self.csrf = match.group(1) or match.group(2)
        return status, text

    def login(self) -> bool:
        self.request("login", "/login")
        status, _ = self.request("login", "/login", {"email": self.email, "password": DEMO_PASSWORD},
                                 expect=(302,))
        if status != 302:
            return False
        _, home = self.request("login", f"/{self.slug}/")
        nav = NAV_RE.search(home)
        links = sorted(set(HREF_RE.findall(nav.group(0)))) if nav else [f"/{self.slug}/"]
        # A menu entry that redirects (the plan to its school year, a teacher's development to their own) is read
        # where it leads, as a browser would: a reader then counts no redirect as an error.
        self.pages = []
        for link in links:
            status, _ = self.request("menu", link, expect=(200, 302, 303))
            self.pages.append(self.location if status in (302, 303) and (self.location or "").startswith("/")
                              else link)
        return True

    def pause(self):
        time.sleep(self.rnd.uniform(*self.think))

    def run(self, logged_in: threading.Barrier, go: threading.Event, ramp: float):
        time.sleep(self.rnd.uniform(0, ramp))  # people do not all log in within the same second
        try:
            ok = self.login()
        except Exception as exc:  # a bug in the bench must show, not hang
            ok = False
            self.stats.error(f"bench: {type(exc).__name__}: {exc}")
        try:
            logged_in.wait(timeout=600)
        except threading.BrokenBarrierError:
            pass
        go.wait(timeout=600)
        if not ok:
            return
        try:
            while time.monotonic() < self.deadline:
                self.step()
                self.pause()
        except Exception as exc:
            self.stats.error(f"bench: {type(exc).__name__}: {exc}")

    def step(self):
        roll = self.rnd.random()
        if self.role == "admin" and roll < 0.15:
            self.create_user()
        elif self.role == "admin" and roll < 0.30 and self.mine:
            self.change_role()
        elif self.role == "admin" and roll < 0.40:
            word = self.rnd.choice(SEARCH_WORDS)
            self.request("read", f"/{self.slug}/users/?q={urllib.parse.quote(word)}", htmx=True)
        else:
            self.request("read", self.rnd.choice(self.pages))

    def create_user(self):
        _, form = self.request("read", f"/{self.slug}/users/new")
        token = TOKEN_RE.search(form)
        if not token:
            self.stats.error("write: no form token on /users/new")
            return
        email = f"bench-{self.n}-{len(self.mine)}-{secrets.token_hex(3)}@{self.slug}.example.org"
        role = self.rnd.choice(("teacher", "methodist", "leader"))
        status, page = self.request("write", f"/{self.slug}/users/new", {
            "form_token": token.group(1), "full_name": f"Нагрузочный Пользователь {self.n}", "email": email,
            "role": role})
        if status == 200 and "Одноразовая ссылка" in page:
            with self.stats.lock:
                self.stats.created[email] = role
                self.stats.roles[email] = role
            _, rows = self.request("read", f"/{self.slug}/users/?q={urllib.parse.quote(email)}", htmx=True)
            found = ROW_RE.search(rows)
            if found:
                self.mine[email] = (int(found.group(1)), int(found.group(2)), role)
            else:
                self.stats.error("read: a user just added is not in the list")

    def change_role(self):
        email = self.rnd.choice(sorted(self.mine))
        user_id, version, role = self.mine[email]
        new_role = self.rnd.choice([r for r in ("teacher", "methodist", "leader") if r != role])
        status, row = self.request("write", f"/{self.slug}/users/{user_id}/role",
                                   {"role": new_role, "version": version}, htmx=True, expect=(200,))
        if status == 200:
            version = int(ROW_RE.search(row).group(2))
            self.mine[email] = (user_id, version, new_role)
            with self.stats.lock:
                self.stats.roles[email] = new_role
                self.stats.role_changes += 1
        elif status == 409:
            with self.stats.lock:
                self.stats.conflicts += 1


class Flooder:
    """An anonymous client sending failed logins for made-up addresses as fast as the server answers."""

    def __init__(self, n: int, base: str, deadline: float, counts: dict, lock: threading.Lock):
        self.n, self.base, self.deadline, self.counts, self.lock = n, base, deadline, counts, lock
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)

    def send(self, data=None) -> tuple[int, str]:
        req = urllib.request.Request(self.base + "/login", headers={"User-Agent": f"oms-flood/{self.n}"},
                                     data=urllib.parse.urlencode(data).encode() if data else None)
        try:
            with self.opener.open(req, timeout=60) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode(errors="replace")
        except OSError:
            return 0, ""

    def run(self, go: threading.Event, on: threading.Event):
        go.wait(timeout=600)
        _, page = self.send()
        match = CSRF_RE.search(page)
        csrf = (match.group(1) or match.group(2)) if match else ""
        while time.monotonic() < self.deadline:
            if not on.wait(timeout=0.5):
                continue
            status, _ = self.send({"email": f"nobody-{secrets.token_hex(6)}@example.org",
                                   "password": secrets.token_hex(8), "csrf_token": csrf})
            with self.lock:
                self.counts[status] = self.counts.get(status, 0) + 1


# ---- checking and reporting ----------------------------------------------------------------

def lost_writes(db_url: str, stats: Stats) -> list[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT set_config('app.all_districts', 'on', false)"))
        rows = dict(conn.execute(text('SELECT email, role FROM "user" WHERE email LIKE \'bench-%\'')).all())
    engine.dispose()
    lost = [f"{email}: missing" for email in stats.created if email not in rows]
    lost += [f"{email}: role {rows[email]}, acknowledged {role}" for email, role in stats.roles.items()
             if email in rows and rows[email] != role]
    return lost


def pct(values, q):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] * 1000


def report(title, stats: Stats, seconds: float, ramp: float, lost: list[str], server_errors: list[str]) -> bool:
    logins = stats.latency.get("login", [])
    everything = [v for kind, values in stats.latency.items() if kind not in SETUP_KINDS for v in values]
    errors = sum(stats.errors.values())
    print(f"\n== {title} ==")
    print(f"log-in ramp (not counted below): {len(logins) // 3} users logged in within {ramp:.1f} s, "
          f"p95 {pct(logins, 95):.0f} ms (scrypt at OWASP cost, ~1 s of CPU per login)")
    print(f"mixed phase: {len(everything)} requests in {seconds:.0f} s = {len(everything) / seconds:.1f} req/s")
    print(f"latency ms: p50 {pct(everything, 50):.0f}  p95 {pct(everything, 95):.0f}  "
          f"p99 {pct(everything, 99):.0f}  max {max(everything, default=0) * 1000:.0f}")
    for kind in ("read", "write"):
        values = stats.latency.get(kind, [])
        if values:
            print(f"  {kind:5}  n={len(values):6}  p50 {pct(values, 50):5.0f}  p95 {pct(values, 95):5.0f}  "
                  f"mean {statistics.mean(values) * 1000:5.0f}")
    print(f"errors: {errors}")
    for what, count in sorted(stats.errors.items(), key=lambda kv: -kv[1])[:15]:
        print(f"  {count:5} × {what}")
    print(f"server log errors: {len(server_errors)}")
    for line in server_errors[:5]:
        print("  " + line[:200])
    print(f"writes acknowledged: {len(stats.created)} users added, {stats.role_changes} role changes "
          f"(409 conflicts: {stats.conflicts})")
    print(f"lost writes: {len(lost)}")
    for line in lost[:10]:
        print("  " + line)
    return errors == 0 and not lost and not server_errors


def run(title, env, db_url, args, flood: int = 0) -> bool:
    server = Server(env, args.workers, args.threads)
    stats = Stats()
    flood_counts, flood_lock = {}, threading.Lock()
    try:
        users = [User(n, server.base, stats, 0.0, (args.think_min, args.think_max)) for n in range(args.users)]
        logged_in, go = threading.Barrier(args.users + 1), threading.Event()
        threads = [threading.Thread(target=u.run, args=(logged_in, go, args.ramp), daemon=True) for u in users]
        ramp_start = time.monotonic()
        for t in threads:
            t.start()
        logged_in.wait(timeout=600)
        ramp = time.monotonic() - ramp_start
        start = time.monotonic()
        for u in users:
            u.deadline = start + args.seconds
        on = threading.Event()
        flooders = [Flooder(n, server.base, start + args.seconds, flood_counts, flood_lock) for n in range(flood)]
        flood_threads = [threading.Thread(target=f.run, args=(go, on), daemon=True) for f in flooders]
        for t in flood_threads:
            t.start()
        go.set()
        if flood:
            # The flood is switched on and off in turns, so both kinds of window see the same machine (other
            # load on it changes over a run); a request counts for the window it started in.
            while time.monotonic() < start + args.seconds:
                flooding = int((time.monotonic() - start) // args.flood_window) % 2 == 1
                stats.phase = "flood" if flooding else "alone"
                on.set() if flooding else on.clear()
                time.sleep(0.05)
            on.clear()
        for t in threads + flood_threads:
            t.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - start
    finally:
        server.stop()
    if flood:
        title += f", a login flood ({flood} connections, made-up addresses) on and off every {args.flood_window:.0f} s"
    ok = report(f"{title}: gunicorn {args.workers} workers × {args.threads} threads, {args.users} users",
                stats, elapsed, ramp, lost_writes(db_url, stats), server.errors_logged(args.server_log))
    if not flood:
        return ok
    total = sum(flood_counts.values())
    print(f"login flood: {total} attempts in {elapsed / 2:.0f} s of flooding; answers: "
          + ", ".join(f"{status or 'no connection'} × {n}" for status, n in sorted(flood_counts.items())))
    alone, flooded = (pct(stats.by_phase[p], 95) for p in ("alone", "flood"))
    ratio = flooded / alone if alone else float("inf")
    within = ratio <= 2.0
    print(f"users' p95 without the flood {alone:.0f} ms (n={len(stats.by_phase['alone'])}), beside it {flooded:.0f} ms "
          f"(n={len(stats.by_phase['flood'])}): x{ratio:.2f} ({'within' if within else 'OVER'} the 2x bound)")
    print(f"  p50 {pct(stats.by_phase['alone'], 50):.0f} ms / {pct(stats.by_phase['flood'], 50):.0f} ms")
    return ok and within


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16)  # README's gunicorn command
    parser.add_argument("--ramp", type=float, default=15, help="logins are spread over this many seconds")
    parser.add_argument("--think-min", type=float, default=0.1, help="pause between a user's clicks, seconds")
    parser.add_argument("--think-max", type=float, default=0.5)
    parser.add_argument("--pg", metavar="URL", help="also run on PostgreSQL (this database is dropped and recreated)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--flood", type=int, default=0, metavar="N",
                        help="run again beside N connections flooding /login with made-up addresses; "
                             "the users' p95 must stay within 2x of the run without it")
    parser.add_argument("--flood-window", type=float, default=15,
                        help="with --flood: seconds of flooding and of quiet, in turns")
    parser.add_argument("--server-log", metavar="PATH", help="keep gunicorn's log here")
    args = parser.parse_args(argv)

    ok = True
    tmp = Path(tempfile.mkdtemp(prefix="oms-bench-"))
    try:
        if not args.skip_sqlite:
            print("preparing SQLite (migrations, demo data)…", flush=True)
            env, url = prepare_sqlite(tmp / "sqlite")
            ok &= run("SQLite", env, url, args, flood=args.flood)
        if args.pg:
            print("\npreparing PostgreSQL (owner role, app role, migrations, demo data)…", flush=True)
            env, owner_url = prepare_postgresql(tmp / "pg", args.pg)
            ok &= run("PostgreSQL (app role, row-level security on)", env, owner_url, args, flood=args.flood)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("\nRESULT:", "OK — 0 errors, 0 lost writes" if ok else "PROBLEMS (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
