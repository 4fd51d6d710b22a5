"""The forum's pages against a trivial Django view, in one process: figures that hold while the
machine is shared (bench/forum.py measures under gunicorn and wrk, on a quiet machine).

    .venv/bin/python bench/forum_inprocess.py --prepare   # once: a database with the volume
    .venv/bin/python bench/forum_inprocess.py [--n 300] [--profile "topic, first page"]

Production settings, PostgreSQL, the file cache, a member signed in. Each request goes through
Django's WSGI handler (every middleware) from a WSGI environ, as gunicorn would hand it; the
trivial view goes through a WSGI handler with no middleware and a one-path URLconf (as
bench/trivial.py). Requests of all cases are interleaved in rounds; the figure is the median
time of a request, and the ratio is its median over the trivial view's median.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # after the project: bench/documents.py is no app

MEMBER = "alex.morgan@brighton-hove.gov.uk"
DATABASE = os.environ.get("BENCH_DATABASE", "bpf_bench_forum_inprocess")
VAR = Path(os.environ.get("BENCH_VAR", tempfile.gettempdir())) / f"{DATABASE}-var"


def _environment(database_url: str) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "600",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": "http://127.0.0.1:8000",
        "SECURE_SSL_REDIRECT": "false",
        "VAR_DIR": str(VAR),
        "LOG_LEVEL": "WARNING",
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }


def prepare(database_url: str) -> None:
    from common import fresh_database

    fresh_database(DATABASE)
    env = {**os.environ, **_environment(database_url)}
    python = str(ROOT / ".venv" / "bin" / "python")
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["load_demo"]):
        subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    code = (
        "import django, json; django.setup()\n"
        "from forum.bench import seed_forum\n"
        f"print(json.dumps(seed_forum(member_email={MEMBER!r})))"
    )
    subprocess.run([python, "-c", code], cwd=ROOT, env=env, check=True)


class Collector:
    def __init__(self):
        self.status = None
        self.headers = None

    def __call__(self, status, headers, exc_info=None):
        self.status, self.headers = status, headers
        return lambda data: None


def _environ(path: str, cookie: str, extra: dict) -> dict:
    from urllib.parse import urlsplit

    parts = urlsplit(path)
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_COOKIE": cookie,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **extra,
    }


def _call(app, path, cookie, extra) -> str:
    collector = Collector()
    body = app(_environ(path, cookie, extra), collector)
    for _ in body:
        pass
    if hasattr(body, "close"):
        body.close()
    return collector.status


def trivial_application():
    """Django's WSGI handler with no middleware and one path answering "ok"."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.http import HttpResponse
    from django.test.utils import override_settings
    from django.urls import path

    module = types.ModuleType("bench_trivial_urls")
    module.urlpatterns = [path("", lambda request: HttpResponse("ok", content_type="text/plain"))]
    sys.modules[module.__name__] = module

    class Trivial(WSGIHandler):
        def get_response(self, request):
            request.urlconf = module.__name__
            return super().get_response(request)

    with override_settings(MIDDLEWARE=[]):
        return Trivial()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--n", type=int, default=300, help="requests per case (interleaved)")
    parser.add_argument("--profile", default="", help="a case's name: cProfile it, print the top")
    parser.add_argument("--only", default="", help="case names to measure, separated by ;")
    args = parser.parse_args()
    admin = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    database_url = f"{admin.rsplit('/', 1)[0]}/{DATABASE}"
    if args.prepare:
        prepare(database_url)
        return
    os.environ.update(_environment(database_url))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.wsgi import get_wsgi_application

    from forum.bench import BENCH_GROUP
    from forum.models import Topic

    user = get_user_model().objects.get(email=MEMBER)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookie = f"sessionid={session.session_key}; csrftoken={secrets.token_hex(16)}"
    topic = Topic.objects.filter(group__slug=BENCH_GROUP, post_count=5000).order_by("-pk").first()
    count = topic.post_count
    topic_url, group_url = f"/forum/topics/{topic.pk}/", f"/forum/groups/{BENCH_GROUP}/"
    updates = f"/forum/topics/{topic.pk}/updates/?after={count}"
    htmx = {"HTTP_HX_REQUEST": "true"}
    cases = [
        ("trivial", trivial_application(), "/", {}),
        # Calibration: the home page for a member reached 1/16-1/20 under gunicorn and wrk.
        ("home (calibration)", None, "/", {}),
        ("topic, first page", None, topic_url, {}),
        ("topic, last page", None, f"{topic_url}?page={(count - 1) // 20 + 1}", {}),
        ("group, first page", None, group_url, {}),
        ("group, page 400", None, f"{group_url}?page=400", {}),
        ("live update (204)", None, updates, htmx),
        ("live update (304)", None, updates, {**htmx, "HTTP_IF_NONE_MATCH": f'"topic-{topic.pk}-{count}"'}),
    ]
    site = get_wsgi_application()
    cases = [(name, app or site, path, extra) for name, app, path, extra in cases]
    if args.only:
        wanted = {"trivial", *(name.strip() for name in args.only.split(";"))}
        cases = [case for case in cases if case[0] in wanted]
    for name, app, path, extra in cases:  # warm up, and check each answers as expected
        for _ in range(3):
            status = _call(app, path, cookie, extra)
        print(f"{name:22} {path:45} {status}", flush=True)
        if not status.startswith(("200", "204", "304")):
            sys.exit(f"{name} answered {status}")
    if args.profile:
        import cProfile
        import pstats

        name, app, path, extra = next(case for case in cases if case[0] == args.profile)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.n):
            _call(app, path, cookie, extra)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    times = {name: [] for name, *_ in cases}
    expected = {name: _call(app, path, cookie, extra) for name, app, path, extra in cases}
    for _ in range(args.n):
        for name, app, path, extra in cases:
            start = time.perf_counter()
            status = _call(app, path, cookie, extra)
            times[name].append(time.perf_counter() - start)
            assert status == expected[name], (name, status)
    trivial = statistics.median(times["trivial"])
    print(f"\n{'case':22} {'median ms':>10} {'req/s':>8} {'ratio to trivial':>17}")
    for name, *_ in cases:
        value = statistics.median(times[name])
        print(f"{name:22} {value * 1000:10.3f} {1 / value:8.0f} {'1/' + format(value / trivial, '.1f'):>17}")


if __name__ == "__main__":
    main()
