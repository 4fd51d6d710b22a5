"""Search quality on the demo content: the judged queries' top-3 hit rate and MRR, per kind of
query and per backend, and the site search page's median time, in one run.

    .venv/bin/python bench/search_relevance.py                      # this tree, both backends
    .venv/bin/python bench/search_relevance.py --before /tmp/main   # and an export of main

The judged set is ``tests/search/fixtures/judged_queries.json``: realistic queries with the
items a good search ranks in the top three (any of them counts). Each tree and backend runs in
its own process on a throw-away database with the demo loaded (``manage.py load_demo``):
Whoosh on SQLite, Wagtail's database backend on PostgreSQL (a scratch database
``bpf_bench_relevance`` on ``BENCH_PG_ADMIN_URL``). Every query is asked through the site
search page (``/search/?q=``) as an approved member, and timed in-process over ``--rounds``
rounds after a warm-up round (the median of all requests). The last run is kept in
``bench/results/search-relevance.txt``.

``tests/search/test_judged_relevance.py`` imports ``judge`` and ``summary`` from here.
"""

from __future__ import annotations

import argparse
import html as html_lib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CASES = ROOT / "tests" / "search" / "fixtures" / "judged_queries.json"
TITLE = re.compile(r'class="heading-s search-result__title"><a href="[^"]*">([^<]*)</a>')
TOP = 3


def load_cases(path: Path = CASES) -> list[dict]:
    return json.loads(Path(path).read_text())["queries"]


def result_titles(page: str) -> list[str]:
    return [html_lib.unescape(title) for title in TITLE.findall(page)]


def judge(search, cases: list[dict]) -> list[dict]:
    """Each case with the rank (1-based) of its first expected item, or None; ``search(query)``
    returns the titles of the first page of results."""
    judged = []
    for case in cases:
        titles = search(case["query"])
        rank = next((i + 1 for i, title in enumerate(titles) if title in case["expect"]), None)
        judged.append({**case, "rank": rank, "top": titles[:TOP]})
    return judged


def summary(judged: list[dict]) -> dict:
    """Top-3 hit rate and mean reciprocal rank, overall and per kind of query."""

    def figures(rows):
        hits = sum(1 for row in rows if row["rank"] and row["rank"] <= TOP)
        mrr = sum(1 / row["rank"] for row in rows if row["rank"]) / len(rows)
        return {"n": len(rows), "top3": hits / len(rows), "mrr": mrr}

    kinds = {}
    for row in judged:
        kinds.setdefault(row["kind"], []).append(row)
    return {"all": figures(judged), **{kind: figures(rows) for kind, rows in kinds.items()}}


# One tree, one backend (a child process) ---------------------------------------------------------


def child(backend: str, cases_path: str, rounds: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from accounts.models import ApprovalStatus, User

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    user = User.objects.filter(approval_status=ApprovalStatus.APPROVED, is_superuser=False).first()
    client = Client()
    client.force_login(user)

    def search(query):
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200, response.status_code
        return result_titles(response.content.decode())

    cases = load_cases(Path(cases_path))
    judged = judge(search, cases)  # also the warm-up round
    times = []
    for _round in range(rounds):
        for case in cases:
            started = time.perf_counter()
            client.get("/search/", {"q": case["query"]})
            times.append(time.perf_counter() - started)
    print("RESULT " + json.dumps({"judged": judged, "median_ms": statistics.median(times) * 1000}))


def run_child(root: Path, backend: str, rounds: int) -> dict:
    var = Path(tempfile.mkdtemp(prefix="bench-relevance-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "0",
        "VAR_DIR": str(var),
        "SEARCH_BACKEND": backend,
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "LOG_LEVEL": "ERROR",
        "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    }
    if backend == "database":
        sys.path.insert(0, str(BENCH))
        from common import fresh_database

        env["DATABASE_URL"] = fresh_database("bpf_bench_relevance")
    else:
        env["DATABASE_URL"] = f"sqlite:///{var / 'db.sqlite3'}"
    command = [sys.executable, str(Path(__file__).resolve()), "--child", backend, "--cases", str(CASES)]
    command += ["--rounds", str(rounds)]
    out = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise SystemExit(f"{root} {backend} failed:\n{out.stderr[-3000:]}")


def report(label: str, result: dict) -> list[str]:
    figures = summary(result["judged"])
    lines = [
        f"{label}: top-3 {figures['all']['top3']:.0%}, MRR {figures['all']['mrr']:.2f}, "
        f"median {result['median_ms']:.1f} ms a search ({figures['all']['n']} queries)"
    ]
    for kind, row in figures.items():
        if kind != "all":
            lines.append(f"    {kind:<14} top-3 {row['top3']:>4.0%}  MRR {row['mrr']:.2f}  ({row['n']})")
    misses = [row for row in result["judged"] if not row["rank"] or row["rank"] > TOP]
    for row in misses:
        lines.append(f"    miss: {row['query']!r} -> {row['top']}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", type=Path, help="a checkout or export of the code to compare with")
    parser.add_argument("--backends", nargs="+", default=["whoosh", "database"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--cases", default=str(CASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, os.getcwd())
        child(args.child, args.cases, args.rounds)
        return
    trees = ([("before", args.before.resolve())] if args.before else []) + [("after", ROOT)]
    lines = []
    for backend in args.backends:
        for name, root in trees:
            result = run_child(root, backend, args.rounds)
            lines += report(f"{name}, {backend}", result)
            print("\n".join(lines[-1:]), flush=True)
    text = "\n".join(lines)
    print("\n" + text)
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / "search-relevance.txt").write_text(text + "\n")


if __name__ == "__main__":
    main()
