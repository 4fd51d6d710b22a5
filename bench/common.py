"""Shared machinery for the benchmarks: a throw-away PostgreSQL database, the site under
gunicorn with production settings, and wrk to load it from the same machine."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    print("Installing wrk (Debian package) to load the server...", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    return shutil.which("wrk") or "wrk"


def fresh_database(name: str) -> str:
    """Drop and create ``name`` on the local PostgreSQL; return its DATABASE_URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """The project on production settings, in its own var/ folder and database."""

    def __init__(
        self,
        database_url: str,
        port: int | None = None,
        workers: int = 2,
        *,
        task_worker: bool = True,
        **extra_env: str,
    ):
        self.port = port or free_port()
        # Production queues background work (text extraction, index updates) in the database:
        # a `manage.py db_worker` runs beside gunicorn, as in production (docs/operations.md).
        self.task_worker = task_worker
        self.worker_process = None
        self.workers = workers
        self.var = Path(tempfile.mkdtemp(prefix="bpf-bench-"))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "600",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "SECURE_SSL_REDIRECT": "false",
            "VAR_DIR": str(self.var),
            "LOG_LEVEL": "WARNING",
            **extra_env,
        }
        self.process = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if result.returncode:
            sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def python(self, code: str) -> str:
        result = subprocess.run(
            [PYTHON, "-c", "import django; django.setup()\n" + code],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            sys.exit(f"bench helper failed:\n{result.stderr}")
        return result.stdout.strip()

    def session_cookie_for(self, email: str) -> str:
        """A signed-in session for ``email``, as a browser would hold it after logging in."""
        return self.python(
            "from django.contrib.auth import get_user_model, HASH_SESSION_KEY, SESSION_KEY, BACKEND_SESSION_KEY\n"
            "from django.contrib.sessions.backends.db import SessionStore\n"
            f"user = get_user_model().objects.get(email={email!r})\n"
            "s = SessionStore()\n"
            "s[SESSION_KEY] = str(user.pk)\n"
            "s[BACKEND_SESSION_KEY] = 'accounts.backends.ModelBackend'\n"
            "s[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
            "s.create()\n"
            "print(s.session_key)"
        )

    def browser_cookie_for(self, email: str) -> str:
        """The Cookie header of a browser signed in as ``email``: its session and CSRF cookies."""
        csrf_secret = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        return f"Cookie: sessionid={self.session_cookie_for(email)}; csrftoken={csrf_secret}"

    def check_signed_in(self, cookie_header: str, path: str = "/members/") -> None:
        """Stop the bench if ``cookie_header`` no longer signs in (a members-only page answers
        200 only to a member): a lost session would silently measure anonymous pages."""
        import urllib.error
        import urllib.request

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        name, value = cookie_header.split(": ", 1)
        request = urllib.request.Request(self.url(path), headers={name: value})
        try:
            status = urllib.request.build_opener(NoRedirect).open(request, timeout=30).status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            self.stop()
            sys.exit(
                f"{path} answered {status}, not 200, to the signed-in cookie (302: the session was lost)"
            )

    def run_queued_tasks(self) -> None:
        """Run whatever setting up queued (extraction, index updates), then return."""
        self.manage("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--verbosity", "0")

    def start(self) -> None:
        if self.task_worker:
            # What preparing the site queued is done first, so it does not run during a measurement.
            self.run_queued_tasks()
            self.worker_process = subprocess.Popen(
                [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "1", "--verbosity", "0"],
                cwd=ROOT,
                env=self.env,
                start_new_session=True,
            )
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        wait_for_port(self.port, self.stop)

    def stop(self) -> None:
        for process in (self.process, self.worker_process):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
        shutil.rmtree(self.var, ignore_errors=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def wrk(
    url: str,
    *,
    seconds: int = 8,
    connections: int = 8,
    threads: int = 2,
    headers=(),
    script: str | None = None,
) -> dict:
    """``script``: a wrk Lua script (e.g. one that asks a different address each request)."""
    command = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    return {"rps": rps, "errors": int(non_2xx.group(1)) if non_2xx else 0, "p50_ms": _ms(p50)}


def _ms(match) -> float | None:
    if not match:
        return None
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def median(values):
    return statistics.median(values)


def interleaved_rounds(site: Site, cases, *, rounds: int, seconds: int) -> dict:
    """Load each (name, path, headers[, wrk script]) case in turn, ``rounds`` times, after a
    warm-up of every worker; interleaving spreads the machine's drifts over all cases alike.
    Returns, per case name, its req/s and p50 latencies per round and its non-2xx count."""

    def url(path):
        # A case may name another site's address in full (a second configuration, same run).
        return path if path.startswith("http") else site.url(path)

    for _, path, headers, *script in cases:
        wrk(url(path), seconds=2, headers=headers, script=script[0] if script else None)
    runs = {name: {"rps": [], "p50_ms": [], "errors": 0} for name, *_ in cases}
    for round_number in range(rounds):
        for name, path, headers, *script in cases:
            run = wrk(url(path), seconds=seconds, headers=headers, script=script[0] if script else None)
            runs[name]["rps"].append(run["rps"])
            runs[name]["p50_ms"].append(run["p50_ms"] or 0)
            runs[name]["errors"] += run["errors"]
        print(f"round {round_number + 1}/{rounds} done", flush=True)
    return runs


def ratio_lines(cases, runs) -> list[str]:
    """The table of medians: each case's req/s over the rounds and its ratio to the first case
    (the trivial view)."""
    baseline = median(runs[cases[0][0]]["rps"])
    lines = [f"{'URL':44} {'req/s (median)':>15} {'all rounds':>28} {'ratio to trivial':>17} {'non-2xx':>8}"]
    for name, *_ in cases:
        rps = median(runs[name]["rps"])
        rounds = ", ".join(f"{r:.0f}" for r in runs[name]["rps"])
        lines.append(
            f"{name:44} {rps:15.0f} {rounds:>28} {'1/' + format(baseline / rps, '.1f'):>17} {runs[name]['errors']:8d}"
        )
    return lines


class Baseline:
    """DESIGN.md section 7's yardstick: a trivial Django view with minimal settings and no
    database (``bench/trivial.py``), under the same gunicorn settings as the site."""

    def __init__(self, workers: int = 2):
        self.port = free_port()
        self.workers = workers
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "trivial:application",
                "--chdir",
                str(ROOT / "bench"),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            start_new_session=True,
        )
        wait_for_port(self.port, self.stop)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def wait_for_port(port: int, stop) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    stop()
    sys.exit(f"gunicorn on port {port} did not start")
