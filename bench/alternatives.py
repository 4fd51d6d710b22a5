"""Our page caches against the conventional alternatives, in one run (issue 8).

    .venv/bin/python bench/alternatives.py [--scale 10] [--rounds 3] [--seconds 5]

One throw-away PostgreSQL database (demo content plus ``seed_bench --scale N``) served by five
configurations side by side, each under gunicorn with 2 sync workers and production settings
(``bench/alternative_settings.py`` for the alternatives):

- **ours**: the anonymous page cache and the per-audience page cache (``serving/page_cache.py``);
- **no page cache**: both off, every page rendered (the reference for what caching buys);
- **Django's cache middleware**: the whole-site cache, keyed by URL and the ``Vary`` headers;
- **fragments**: ``{% wagtailpagecache %}`` around each page's main content, keyed by page,
  site, address and the viewer's audience; the rest of the page rendered every time;
- **front proxy**: Varnish in front (installed from Debian if missing) for anonymous visitors,
  purged through ``wagtail.contrib.frontend_cache``; our per-audience cache behind it.

Each is asked for the same pages by the same three people (nobody, a member, a national
editor); rounds are interleaved across every case, and each figure is the median of the rounds
and its ratio to the trivial Django view of the same run (``bench/trivial.py``). What each
design costs beyond speed (what may be shared, what stays stale) is in docs/architecture.md.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    ROOT,
    Baseline,
    Site,
    free_port,
    fresh_database,
    interleaved_rounds,
    median,
    wait_for_port,
)

PAGES = [("home", "/"), ("scheme page", "/schemes/pan-sussex/"), ("scheme index", "/schemes/")]


def ensure_varnish() -> str:
    path = shutil.which("varnishd") or ("/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None)
    if path:
        return path
    print("Installing Varnish (Debian package) for the front-proxy alternative...", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "varnish"], check=True, stdout=subprocess.DEVNULL
    )
    return shutil.which("varnishd") or "/usr/sbin/varnishd"


class Varnish:
    """Varnish in front of ``backend_port``: caches what anonymous visitors get (its built-in
    rules pass any request with a cookie to the site) and accepts PURGE from this machine."""

    VCL = """vcl 4.1;
backend default {{ .host = "127.0.0.1"; .port = "{backend}"; }}
acl purgers {{ "127.0.0.1"; }}
sub vcl_recv {{
  if (req.method == "PURGE") {{
    if (client.ip !~ purgers) {{ return (synth(405, "Not allowed")); }}
    return (purge);
  }}
}}
"""

    def __init__(self, port: int):
        self.port = port
        self.folder = Path(tempfile.mkdtemp(prefix="bpf-varnish-"))
        self.process = None

    def start(self, backend_port: int) -> None:
        vcl = self.folder / "site.vcl"
        vcl.write_text(self.VCL.format(backend=backend_port))
        self.process = subprocess.Popen(
            [
                ensure_varnish(),
                "-F",
                "-j",
                "none",
                "-n",
                str(self.folder / "work"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(vcl),
                "-s",
                "malloc,256m",
                "-t",
                "300",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for_port(self.port, self.stop)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def fragment_templates(folder: Path) -> Path:
    """``templates/base.html`` with its main content in a ``{% wagtailpagecache %}`` fragment."""
    base = (ROOT / "templates" / "base.html").read_text()
    block = "{% block content %}{% endblock %}"
    if block not in base:
        sys.exit("templates/base.html no longer has the content block this bench wraps")
    wrapped = (
        "{% load wagtail_cache %}"
        "{% with audience=request.viewer.audience_key|default:request.user.pk %}"
        '{% wagtailpagecache 300 "content" audience request.get_full_path %}'
        f"{block}{{% endwagtailpagecache %}}{{% endwith %}}"
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "base.html").write_text(base.replace(block, wrapped))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "alternatives.txt"))
    args = parser.parse_args()

    database = fresh_database("bpf_bench_alternatives")
    baseline = Baseline()
    ours = Site(database)
    # All share the first one's folder (static files, search index, media, file cache) and
    # secret key (sessions); their cache entries are told apart by their keys.
    shared = {"SECRET_KEY": ours.env["SECRET_KEY"], "VAR_DIR": str(ours.var)}
    proxy = Varnish(free_port())

    def alternative(name, **env):
        return Site(
            database,
            task_worker=False,
            DJANGO_SETTINGS_MODULE="alternative_settings",
            BENCH_ALTERNATIVE=name,
            PYTHONPATH=str(ROOT / "bench"),
            **shared,
            **env,
        )

    uncached = Site(
        database,
        task_worker=False,
        ANONYMOUS_PAGE_CACHE_SECONDS="0",
        AUDIENCE_PAGE_CACHE_SECONDS="0",
        **shared,
    )
    django_cache = alternative("django-cache")
    fragments = alternative("fragments")
    fragments.env["BENCH_TEMPLATE_DIR"] = str(fragment_templates(fragments.var / "templates"))
    front = alternative("front-proxy", BENCH_PROXY_URL=proxy.url(""))
    designs = [
        ("ours", ours.url),
        ("no page cache", uncached.url),
        ("Django cache middleware", django_cache.url),
        ("wagtailpagecache fragments", fragments.url),
        ("front proxy (Varnish) + ours", proxy.url),
    ]
    servers = [ours, uncached, django_cache, fragments, front]
    try:
        print("Preparing the database (migrate, load_demo, seed_bench)...", flush=True)
        ours.manage("migrate", "--noinput")
        ours.manage("collectstatic", "--noinput")
        ours.manage("load_demo")
        ours.manage("seed_bench", "--scale", str(args.scale))
        people = {
            "anonymous": (),
            "member": (ours.browser_cookie_for("alex.morgan@brighton-hove.gov.uk"),),
            "national editor": (ours.browser_cookie_for("jo.bennett@sussex-pcc.gov.uk"),),
        }
        baseline.start()
        for server in servers:
            server.start()
        proxy.start(front.port)
        cases = [("trivial Django view (minimal settings)", baseline.url("/"), ())]
        for design, url in designs:
            for who, headers in people.items():
                for page, path in PAGES:
                    cases.append((f"{design} | {page} | {who}", url(path), headers))
        runs = interleaved_rounds(ours, cases, rounds=args.rounds, seconds=args.seconds)
        for _, headers in list(people.items())[1:]:
            ours.check_signed_in(headers[0])
    finally:
        proxy.stop()
        baseline.stop()
        for server in reversed(servers):  # ``ours`` last: the others use its database
            server.stop()

    trivial = median(runs[cases[0][0]]["rps"])
    lines = [
        "Page caching designs compared (bench/alternatives.py): gunicorn 2 sync workers, production settings,",
        f"PostgreSQL, demo content + seed_bench --scale {args.scale}; wrk -t2 -c8 -d{args.seconds}s per case, "
        f"{args.rounds} rounds interleaved; medians.",
        f"Trivial Django view (minimal settings, no database): {trivial:.0f} req/s = 1/1.",
        "",
        f"{'design':30s} {'page':13s} {'viewer':16s} {'req/s':>7s} {'of trivial':>11s} {'p50 ms':>7s} {'non-2xx':>8s}",
    ]
    for name, _, _ in cases[1:]:
        design, page, who = name.split(" | ")
        rps = median(runs[name]["rps"])
        lines.append(
            f"{design:30s} {page:13s} {who:16s} {rps:7.0f} {'1/%.1f' % (trivial / rps):>11s} "
            f"{median(runs[name]['p50_ms']):7.1f} {runs[name]['errors']:8d}"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.output).write_text(text)


if __name__ == "__main__":
    main()
