#!/usr/bin/env python3
"""The cluster test: the scale profile run for real, checked across app servers, faults included.

Starts its own PostgreSQL (initdb in a temporary folder, its own port), its own ``redis-server``
(its own port), two gunicorn app servers (A and B, production settings, two workers each) and
one ``manage.py db_worker``, sharing that database, that Redis and a temporary media folder;
stops everything at the end, also on failure. Changes an editor would make in the admin
(publishing, restricting a page, uploading a document) are made by a third process with the
same settings and code ("the editor"), through the same models, signals and services, so they
reach A and B only through the shared database and cache, as a change made on another app
server does. Everything else goes over HTTP.

Checks, each printed with its outcome:
- a page changed and published by the editor is served changed on A and B at once (both had it
  in their page caches and per-process memos);
- a restriction added by the editor is enforced on A and B at once, for visitors and members;
- a session made on A works on B; failed sign-ins count across both (the fifth refused);
- a document uploaded is read by the worker, downloadable on B and found by its text on B;
- faults: Redis stopped mid-run (pages served uncached, a warning logged, signing in works, a
  change made during the outage served after it, sessions kept); PostgreSQL restarted (requests fail with 500/503 and recover
  without restarting the app); the worker stopped for a while (healthz says so, the queue drains
  when it returns); a worker killed mid-task (the reading ends "failed", never left waiting);
  the media folder full and read-only (a clear error, no database row, no file left).

Run: ``.venv/bin/python scripts/cluster_test.py [word...]`` (words: only the checks whose names
contain one, e.g. ``redis``; the checks after the first few rely on the session they made). As root it runs PostgreSQL as the
``postgres`` user). Prints "N passed, N failed" last; exits non-zero on any failure.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PASSWORD = "cluster-test-password-1"
MEMBER = "alex.morgan@brighton-hove.gov.uk"
UNIQUE_WORD = "quokkaharbour"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, what: str, timeout: float = 30, every: float = 0.1):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as error:  # noqa: BLE001 - keep waiting, report the last error
            last = error
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}" + (f" (last error: {last})" if last else ""))


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[4]))
    if not found:
        raise SystemExit("PostgreSQL's server programs are not installed (Debian package postgresql)")
    return str(found[-1])


class Cluster:
    def __init__(self, folder: Path):
        self.folder = folder
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.pg_port, self.redis_port = free_port(), free_port()
        self.ports = {"A": free_port(), "B": free_port()}
        self.pgdata = folder / "pg"
        self.media = folder / "media"
        self.mounted = False
        self.as_postgres = os.geteuid() == 0
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "cluster-test-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "http://127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/forum",
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "SEARCH_BACKEND": "database",
            "TASKS_BACKEND": "django_tasks_db.backend.DatabaseBackend",
            "VAR_DIR": str(folder / "var"),
            "MEDIA_ROOT": str(self.media),
            "CASES_PRIVATE_ROOT": str(folder / "private"),
            "STATIC_ROOT": str(ROOT / "var" / "cluster-static"),
            "HEALTH_QUEUE_MAX_WAIT": "3",
            "DEMO_PASSWORD": PASSWORD,
            "LOG_LEVEL": "INFO",
        }

    # Processes -----------------------------------------------------------------------------

    def run(self, *args, check=True, user=None, **kwargs):
        command = ["runuser", "-u", user, "--", *args] if user and self.as_postgres else list(args)
        result = subprocess.run(command, capture_output=True, text=True, env=self.env, cwd=ROOT, **kwargs)
        if check and result.returncode:
            raise RuntimeError(f"{' '.join(args[:3])} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def spawn(self, name: str, *args, user=None):
        log = self.logs.setdefault(name, self.folder / f"{name}.log")
        command = ["runuser", "-u", user, "--", *args] if user and self.as_postgres else list(args)
        self.processes[name] = subprocess.Popen(
            command,
            stdout=log.open("a"),
            stderr=subprocess.STDOUT,
            env=self.env,
            cwd=ROOT,
            start_new_session=True,
        )

    def stop(self, name: str, sig=signal.SIGTERM):
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)

    def log_text(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace") if name in self.logs else ""

    # Services ------------------------------------------------------------------------------

    def start_postgres(self):
        self.spawn(
            "postgres",
            pg_bin("postgres"),
            "-D", str(self.pgdata), "-p", str(self.pg_port), "-k", str(self.folder),
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off",
            user="postgres",
        )  # fmt: skip
        wait_for(
            lambda: (
                self.run(
                    pg_bin("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.pg_port), check=False
                ).returncode
                == 0
            ),
            "PostgreSQL",
        )

    def start_redis(self):
        self.spawn(
            "redis",
            shutil.which("redis-server") or "redis-server",
            "--bind", "127.0.0.1", "--port", str(self.redis_port), "--save", "", "--appendonly", "no",
            "--dir", str(self.folder),
        )  # fmt: skip
        wait_for(
            lambda: socket.create_connection(("127.0.0.1", self.redis_port), 0.2).close() or True, "Redis"
        )

    def start_app(self, name: str):
        self.spawn(
            name,
            GUNICORN, "config.wsgi:application", "--bind", f"127.0.0.1:{self.ports[name]}",
            "--workers", "2", "--timeout", "30", "--graceful-timeout", "2",
        )  # fmt: skip
        wait_for(lambda: self.get(name, "/healthz/").status_code in (200, 503), f"app server {name}")

    def start_worker(self):
        self.spawn("worker", PYTHON, "manage.py", "db_worker", "--interval", "0.2")

    def setup(self):
        self.folder.chmod(0o755)
        for folder in (self.pgdata, self.media, self.folder / "var", self.folder / "private"):
            folder.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.pgdata, "postgres", "postgres")
            shutil.chown(self.folder, "postgres", "postgres")
        self.run(
            pg_bin("initdb"),
            "-D",
            str(self.pgdata),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            user="postgres",
        )
        self.start_postgres()
        self.run(pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "forum")
        self.start_redis()
        try:  # the media folder on a small filesystem of its own, to fill it and make it read-only
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(self.media)],
                check=True,
                capture_output=True,
            )
            self.mounted = True
        except (subprocess.CalledProcessError, FileNotFoundError):
            self.mounted = False
        self.run(PYTHON, "manage.py", "migrate", "--no-input", "-v", "0")
        self.run(PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0")
        self.run(PYTHON, "manage.py", "load_demo")
        self.start_worker()
        self.start_app("A")
        self.start_app("B")

    def teardown(self):
        for name in ("A", "B", "worker", "redis", "postgres"):
            self.stop(name, signal.SIGINT if name == "postgres" else signal.SIGTERM)
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.media)], check=False)

    # HTTP ------------------------------------------------------------------------------------

    def get(self, server, path, client=None, **kwargs):
        return (client or Client()).request(self, server, "GET", path, **kwargs)

    # The editor: changes made by a third process with the same settings ---------------------

    def editor(self, code: str) -> str:
        """Run ``code`` in a fresh Django process (production settings) and return what it prints."""
        result = self.run(PYTHON, "-c", "import django; django.setup()\n" + code, check=False)
        if result.returncode:
            raise RuntimeError(f"the editor's change failed:\n{result.stderr[-3000:]}")
        return result.stdout.strip()


class Client:
    """requests, carrying cookies by hand: production cookies are Secure, and the app servers are
    reached over plain HTTP behind a pretend TLS proxy (X-Forwarded-Proto)."""

    def __init__(self):
        import requests

        self.session = requests.Session()
        self.cookies: dict[str, str] = {}

    def request(self, cluster, server, method, path, *, data=None, files=None, timeout=15):
        # As behind a load balancer: the one public host name, whichever server answers (allauth
        # keys sign-in failures on it, Wagtail finds the site by it).
        headers = {"Host": "localhost", "X-Forwarded-Proto": "https", "Referer": f"https://localhost{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST" and "csrftoken" in self.cookies:
            data = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **(data or {})}
        response = self.session.request(
            method, f"http://127.0.0.1:{cluster.ports[server]}{path}", headers=headers, data=data, files=files, timeout=timeout,
            allow_redirects=False,
        )  # fmt: skip
        self.session.cookies.clear()
        for cookie in response.cookies:
            if cookie.value:
                self.cookies[cookie.name] = cookie.value
            else:
                self.cookies.pop(cookie.name, None)
        return response

    def sign_in(self, cluster, server, email, password):
        cluster.get(server, "/accounts/login/", client=self)  # the CSRF cookie
        return self.request(
            cluster, server, "POST", "/accounts/login/", data={"login": email, "password": password}
        )


# The checks ------------------------------------------------------------------------------------

CHECKS = []


def check(fn):
    CHECKS.append(fn)
    return fn


def title_of(response) -> str:
    match = re.search(r"<title>(.*?)</title>", response.text, re.S)
    return match.group(1).strip() if match else ""


@check
def a_page_published_is_served_on_both_at_once(c: Cluster):
    for server in "AB":  # both have it in their page caches and memos
        assert c.get(server, "/about/").status_code == 200
        assert c.get(server, "/about/").status_code == 200
    c.editor(
        "from wagtail.models import Page\n"
        "page = Page.objects.get(url_path='/home/about/').specific\n"
        "page.title = 'About the cluster forum'\n"
        "page.save_revision().publish()\n"
    )
    for server in "AB":
        response = c.get(server, "/about/")
        assert response.status_code == 200 and "About the cluster forum" in title_of(response), (
            server,
            title_of(response),
        )


@check
def a_session_made_on_a_works_on_b(c: Cluster):
    member = Client()
    response = member.sign_in(c, "A", MEMBER, PASSWORD)
    assert response.status_code == 302, (response.status_code, response.text[:500])
    c.member = member
    for server in "AB":
        response = c.get(server, "/accounts/profile/", client=member)
        assert response.status_code == 200, (server, response.status_code, response.headers.get("Location"))
    assert c.get("B", "/accounts/profile/").status_code == 302  # and not for anybody else


@check
def a_restriction_added_is_enforced_on_both_at_once(c: Cluster):
    for server in "AB":
        assert c.get(server, "/about/").status_code == 200
        assert c.get(server, "/about/", client=c.member).status_code == 200
    c.editor(
        "from django.contrib.auth.models import Group\n"
        "from wagtail.models import Page, PageViewRestriction\n"
        "page = Page.objects.get(url_path='/home/about/')\n"
        "r = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)\n"
        "r.groups.set([Group.objects.get(name='Moderators')])\n"
    )
    for server in "AB":
        for who, client in (("visitor", None), ("member", c.member)):
            response = c.get(server, "/about/", client=client)
            assert response.status_code != 200 and "About the cluster forum" not in response.text, (
                server,
                who,
                response.status_code,
            )
    c.editor("from wagtail.models import PageViewRestriction\nPageViewRestriction.objects.all().delete()\n")
    for server in "AB":
        assert c.get(server, "/about/").status_code == 200


@check
def failed_sign_ins_count_across_both(c: Cluster):
    email = "sam.okafor@eastsussex.gov.uk"
    refused = []
    for server in "ABABAB":
        response = Client().sign_in(c, server, email, "wrong password")
        assert response.status_code in (200, 429), (server, response.status_code, response.text[:300])
        refused.append(response.status_code == 429 or "Too many failed" in response.text)
    # Five failures per address in five minutes, whichever server counted them.
    if refused != [False] * 5 + [True]:
        import redis

        keys = redis.Redis(port=c.redis_port).keys("*rl*")
        raise AssertionError(f"{refused}; throttle keys in Redis: {keys}")


@check
def a_document_is_read_by_the_worker_downloadable_and_found_on_b(c: Cluster):
    pk = c.editor(UPLOAD % {"word": UNIQUE_WORD, "name": "cluster-note"})
    c.document = int(pk)
    wait_for(lambda: extraction(c, c.document) == "done", "the worker to read the document", 180)
    response = c.get("B", f"/documents/{c.document}/cluster-note.txt", client=c.member)
    assert response.status_code == 200 and UNIQUE_WORD.encode() in response.content, response.status_code
    response = c.get("B", f"/search/?q={UNIQUE_WORD}", client=c.member)
    assert response.status_code == 200 and "Cluster note" in response.text, "not found in B's search"


UPLOAD = """
from django.core.files.base import ContentFile
from documents.models import DocumentStatus
from documents.services import document_create
doc = document_create(title="%(name)s".replace("-", " ").capitalize(), status=DocumentStatus.AGREED,
    file=ContentFile(b"A note about %(word)s written for the cluster test. " * 20, name="%(name)s.txt"))
print(doc.pk)
"""


def extraction(c: Cluster, pk: int) -> str:
    """The document's reading status, read straight from the database (milliseconds, so that a
    reading is seen "running" even on a loaded machine)."""
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={c.pg_port} user=postgres dbname=forum") as connection:
        row = connection.execute(
            "SELECT status FROM documents_documenttext WHERE document_id = %s", (pk,)
        ).fetchone()
    return row[0] if row else ""


@check
def redis_stopped_mid_run_pages_served_uncached_nothing_lost(c: Cluster):
    c.stop("redis")
    for server in "AB":
        for _ in range(3):
            assert c.get(server, "/").status_code == 200
        assert c.get(server, "/about/", client=c.member).status_code == 200
    health = c.get("A", "/healthz/")
    assert health.status_code == 200 and "cache: failed" in health.text, health.text
    signed_in = Client()  # throttles count nothing while the cache is down: sign-in still works
    assert signed_in.sign_in(c, "B", MEMBER, PASSWORD).status_code == 302
    assert c.get("A", "/accounts/profile/", client=signed_in).status_code == 200
    c.editor(
        "from wagtail.models import Page\n"
        "page = Page.objects.get(url_path='/home/about/').specific\n"
        "page.title = 'About us during the outage'\n"
        "page.save_revision().publish()\n"
    )
    for server in "AB":
        assert "during the outage" in title_of(c.get(server, "/about/"))
    c.start_redis()
    wait_for(
        lambda: "cache: ok" in c.get("A", "/healthz/").text and "cache: ok" in c.get("B", "/healthz/").text,
        "cache back",
    )
    for server in "AB":
        assert "during the outage" in title_of(c.get(server, "/about/"))
        assert c.get(server, "/accounts/profile/", client=c.member).status_code == 200  # session kept
    logs = c.log_text("A") + c.log_text("B")
    assert "The cache (Redis) is not answering: serving uncached" in logs


@check
def postgresql_restarted_requests_fail_cleanly_and_recover(c: Cluster):
    c.stop("postgres", signal.SIGINT)  # fast shutdown
    health = c.get("A", "/healthz/")
    assert health.status_code == 503 and "database: failed" in health.text, health.text
    for server in "AB":
        response = c.get(server, "/accounts/profile/", client=c.member)
        assert response.status_code in (500, 503), response.status_code
        assert "Traceback" not in response.text
    c.start_postgres()
    for server in "AB":  # no restart of the app servers
        wait_for(
            lambda server=server: c.get(server, "/healthz/").status_code == 200, f"{server} to recover", 20
        )
        assert c.get(server, "/accounts/profile/", client=c.member).status_code == 200


@check
def the_worker_stopped_for_a_while_the_queue_drains_when_it_returns(c: Cluster):
    c.stop("worker")
    pk = int(c.editor(UPLOAD % {"word": "wallabyquay", "name": "while-away"}))
    time.sleep(3.5)  # HEALTH_QUEUE_MAX_WAIT
    assert extraction(c, pk) == "pending"
    health = c.get("B", "/healthz/?strict")
    assert health.status_code == 503 and "queue: failed" in health.text and "db_worker" in health.text, (
        health.text
    )
    c.start_worker()
    wait_for(lambda: extraction(c, pk) == "done", "the queue to drain", 180)
    assert c.get("B", "/healthz/?strict").status_code == 200


@check
def a_worker_killed_mid_task_leaves_the_document_failed_not_waiting(c: Cluster):
    c.stop("worker")
    pk = int(c.editor(BIG_PDF))
    c.start_worker()
    wait_for(lambda: extraction(c, pk) == "running", "the reading to start", 180, every=0.05)
    c.stop("worker", signal.SIGKILL)  # the worker and its reading child, mid-task
    assert extraction(c, pk) == "running"
    # The reading's time limit passing (DOCUMENTS_EXTRACTION_TIMEOUT + 60 s, too long to wait
    # here) is played by moving its start back; then what runs before db_worker starts:
    c.editor(
        "from datetime import timedelta\nfrom documents.models import DocumentText\n"
        f"r = DocumentText.objects.get(pk={pk}); DocumentText.objects.filter(pk={pk})"
        ".update(started_at=r.started_at - timedelta(hours=1))\n"
    )
    c.run(PYTHON, "manage.py", "recover_document_extractions")
    c.start_worker()
    status = wait_for(lambda: (s := extraction(c, pk)) in ("failed", "done") and s, "recovery", 180)
    assert status in ("failed", "done"), status


BIG_PDF = """
import io
from django.core.files.base import ContentFile
from fpdf import FPDF
from documents.services import document_create
pdf = FPDF()
pdf.set_font("helvetica", size=9)
for n in range(400):
    pdf.add_page()
    for line in range(60):
        pdf.cell(0, 4, f"Page {n} line {line}: information sharing between partner agencies", new_x="LMARGIN", new_y="NEXT")
doc = document_create(title="A long agreement", file=ContentFile(bytes(pdf.output()), name="long.pdf"))
print(doc.pk)
"""


@check
def the_media_folder_full_or_read_only_gives_a_clear_error_and_leaves_nothing(c: Cluster):
    if not c.mounted:
        raise Skipped("the media folder could not be mounted on a filesystem of its own (mount refused)")
    before_files = sorted(p for p in c.media.rglob("*") if p.is_file())
    before_rows = c.editor(
        "from documents.models import GovernanceDocument\nprint(GovernanceDocument.objects.count())"
    )
    filler = c.media / "filler"
    subprocess.run(
        ["dd", "if=/dev/zero", f"of={filler}", "bs=1M", "count=100"], capture_output=True, check=False
    )
    outcomes = {}
    try:
        outcomes["full"] = c.run(PYTHON, "-c", "import django; django.setup()\n" + BIG_UPLOAD, check=False)
    finally:
        filler.unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(c.media)], check=True)
    try:
        outcomes["read-only"] = c.run(
            PYTHON, "-c", "import django; django.setup()\n" + BIG_UPLOAD, check=False
        )
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(c.media)], check=True)
    for case, result in outcomes.items():
        assert result.returncode != 0, f"{case}: the upload succeeded"
        assert "No space left on device" in result.stderr or "Read-only file system" in result.stderr, (
            case,
            result.stderr[-800:],
        )
    after_rows = c.editor(
        "from documents.models import GovernanceDocument\nprint(GovernanceDocument.objects.count())"
    )
    assert after_rows == before_rows, (before_rows, after_rows)
    after_files = sorted(p for p in c.media.rglob("*") if p.is_file())
    assert after_files == before_files, f"left behind: {sorted(set(after_files) - set(before_files))}"


BIG_UPLOAD = """
from django.core.files.base import ContentFile
from documents.services import document_create
document_create(title="Too big for the disk", file=ContentFile(b"words about partners " * 400_000, name="big.txt"))
"""


class Skipped(Exception):
    pass


def main(only=()) -> int:
    """Run every check, or those whose names contain one of the words in ``only``."""
    started = time.monotonic()
    # Stopped from outside (CI's time limit, Ctrl-C): still stop every process it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("cluster test stopped (SIGTERM)"))
    folder = Path(tempfile.mkdtemp(prefix="bpf-cluster-"))
    cluster = Cluster(folder)
    passed = failed = skipped = 0
    try:
        cluster.setup()
        print(f"cluster up in {time.monotonic() - started:.0f}s (PostgreSQL :{cluster.pg_port}, Redis "
              f":{cluster.redis_port}, A :{cluster.ports['A']}, B :{cluster.ports['B']}, one db_worker)", flush=True)  # fmt: skip
        chosen = [fn for fn in CHECKS if not only or any(word in fn.__name__ for word in only)]
        for fn in chosen:
            t = time.monotonic()
            try:
                fn(cluster)
                passed += 1
                outcome = "PASSED"
            except Skipped as why:
                skipped += 1
                outcome = f"SKIPPED ({why})"
            except Exception:  # noqa: BLE001 - report each check and go on
                failed += 1
                outcome = "FAILED\n" + traceback.format_exc()
            print(f"{fn.__name__.replace('_', ' ')}: {outcome} [{time.monotonic() - t:.1f}s]", flush=True)
    except Exception:  # noqa: BLE001
        failed += 1
        print("setting up the cluster FAILED\n" + traceback.format_exc(), flush=True)
    finally:
        cluster.teardown()
        if failed:
            for name, log in cluster.logs.items():
                print(
                    f"--- last lines of {name}'s log\n"
                    + "\n".join(log.read_text(errors="replace").splitlines()[-40:])
                )
        shutil.rmtree(folder, ignore_errors=True)
    print(f"cluster test finished in {time.monotonic() - started:.0f}s")
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
