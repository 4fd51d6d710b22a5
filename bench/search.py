"""Search latency and build time: our Whoosh backend beside its floors and the database backends.

    .venv/bin/python bench/search.py --sizes 10000 50000
    .venv/bin/python bench/search.py --engines ours db-postgres --build-only   # index sizes

For each size it builds the same synthetic corpus (``bench/search_corpus.py``: a title and ~300
words of community-safety writing per item, a workstream each, fixed seed) into:

- our backend (``search.backends.whoosh``, through Django and modelsearch, SQLite database);
- plain Whoosh, queried directly on an equivalent index (the floor for any Whoosh layer);
- SQLite FTS5, queried directly in SQL (the floor for this machine);
- Wagtail's (modelsearch's) database backend on SQLite, and on PostgreSQL.

Then it times 200 varied one-to-three-word queries, each answering the first page (10 hits) and
the total count, without and with a workstream filter, and prints median and 95th percentile
per engine, the full build time, and the ratios issue 3 sets as targets. The Django engines get
each query as the site search parses it, with the vocabulary the project seeds (expansion on;
``--literal`` hands them the text as typed). Each engine runs in
its own process, one after another, in throw-away databases and folders (PostgreSQL: a
scratch database ``bpf_bench_search`` on ``BENCH_PG_ADMIN_URL``). The SQLite database backend
runs its full-text match once per row and takes seconds a query, so it stops after
``--db-budget`` seconds per query set (the table says how many queries it ran).

``--builds N`` times only full builds, ours and the SQLite database backend alternating for N
rounds, and reports the median ratio (``bench/results/search-builds.txt``): one pair of builds
in the full run is a single sample on a machine whose speed drifts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(ROOT), str(BENCH)]

from search_corpus import queries, read_corpus, write_corpus  # noqa: E402

PAGE = 10
WARM_UP = 10
MIN_BUDGETED = 5
ENGINES = {
    "ours": "our Whoosh backend",
    "whoosh": "plain Whoosh",
    "fts5": "SQLite FTS5, direct SQL",
    "db-sqlite": "database backend, SQLite",
    "db-postgres": "database backend, PostgreSQL",
}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def time_queries(run, query_list, budget: float | None = None) -> dict:
    """Run ``run(text, workstream)`` for each query; median and p95 in milliseconds."""
    # Warm caches first; an engine on a time budget (seconds, even minutes, a query) on one.
    for text, workstream in query_list[: WARM_UP if budget is None else 1]:
        run(text, workstream)
    timings = []
    started = time.perf_counter()
    for text, workstream in query_list:
        before = time.perf_counter()
        run(text, workstream)
        timings.append((time.perf_counter() - before) * 1000)
        if budget is not None and time.perf_counter() - started > budget and len(timings) >= MIN_BUDGETED:
            break
    return {"median": statistics.median(timings), "p95": percentile(timings, 0.95), "n": len(timings)}


def measure(run, query_list, budget=None) -> dict:
    plain = time_queries(lambda text, _: run(text, None), query_list, budget)
    filtered = time_queries(run, query_list, budget)
    return {"plain": plain, "filtered": filtered}


# Workers: each runs in its own process and prints one JSON line.


def django_setup(database_url: str, index_path: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "search_settings"
    os.environ["BENCH_DATABASE_URL"] = database_url
    os.environ["BENCH_INDEX_PATH"] = str(index_path)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)


def load_items(items: list[dict]) -> None:
    from searchbench.models import Item

    Item.objects.bulk_create((Item(**item) for item in items), batch_size=2000)


def site_query(text: str):
    """What the site search asks a backend for ``text`` (``search.query.parse``): stop words
    dropped, compounds and the editors' vocabulary expanded, here the entries the project seeds
    (``search/migrations/0002_seed_vocabulary.py``) and the corpus's workstreams as names."""
    import importlib

    from search_corpus import WORKSTREAMS

    from search.query import Vocabulary, parse

    global _VOCABULARY
    if _VOCABULARY is None:
        seeded = importlib.import_module("search.migrations.0002_seed_vocabulary").TERMS
        entries = [(term, meanings, two_way, False) for term, meanings, two_way in seeded]
        _VOCABULARY = Vocabulary.build(entries, [name.replace("-", " ") for name in WORKSTREAMS])
    return parse(text, _VOCABULARY).expression("and")


_VOCABULARY = None


def worker_django(engine: str, items, query_list, workdir: Path, args) -> dict:
    if engine == "db-postgres":
        from common import fresh_database

        database_url = fresh_database("bpf_bench_search")
    else:
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    django_setup(database_url, workdir / "index")
    load_items(items)
    from django.core.management import call_command
    from django.db import connection
    from searchbench.models import Item

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
    backend = "default" if engine == "ours" else "database"
    started = time.perf_counter()
    call_command("rebuild_modelsearch_index", backend_name=backend, verbosity=0)
    build = time.perf_counter() - started
    index_bytes = index_size(engine, workdir / "index")

    as_searched = site_query if args.expansion else (lambda text: text)

    def run(text, workstream):
        queryset = Item.objects.all() if workstream is None else Item.objects.filter(workstream=workstream)
        results = queryset.search(as_searched(text), backend=backend)
        results.count()  # as Django's paginator asks: the count, then the page
        return list(results[:PAGE])

    if args.build_only:
        return {"build": build, "index_bytes": index_bytes}
    budget = args.db_budget if engine == "db-sqlite" else None
    return {"build": build, "index_bytes": index_bytes, **measure(run, query_list, budget)}


def index_size(engine: str, folder: Path) -> int | None:
    """Bytes the search index takes: our Whoosh folder on disk, or the PostgreSQL backend's
    tables with their indexes (operations.md's capacity on paper)."""
    if engine == "ours":
        return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    if engine == "db-postgres":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(pg_total_relation_size(oid)), 0) FROM pg_class "
                "WHERE relkind = 'r' AND relname LIKE 'modelsearch%%'"
            )
            return int(cursor.fetchone()[0])
    return None


def worker_whoosh(items, query_list, workdir: Path, args) -> dict:
    from whoosh import collectors, fields, index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.qparser import AndGroup, MultifieldParser
    from whoosh.query import Term

    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=StemmingAnalyzer()),
        body=fields.TEXT(analyzer=StemmingAnalyzer()),
        workstream=fields.ID,
    )
    path = workdir / "plain-whoosh"
    path.mkdir()
    started = time.perf_counter()
    ix = index.create_in(str(path), schema)
    writer = ix.writer(limitmb=256)
    for number, item in enumerate(items, start=1):
        writer.add_document(id=str(number), **item)
    writer.commit()
    build = time.perf_counter() - started

    searcher = ix.searcher()
    parser = MultifieldParser(["title", "body"], schema, fieldboosts={"title": 2.0}, group=AndGroup)

    def run(text, workstream):
        # As Whoosh's documentation shows it: the top page (skipping blocks that cannot reach
        # it), then len(), which counts the matches in a second pass.
        query = parser.parse(text)
        results = searcher.search(
            query, limit=PAGE, filter=Term("workstream", workstream) if workstream else None
        )
        len(results)
        return [hit["id"] for hit in results]

    def run_one_pass(text, workstream):
        # The strategy our backend uses: one pass that scores and counts every match (replace=0:
        # without it Whoosh drops low-boost branches once the page is full, and undercounts).
        collector = collectors.TopCollector(limit=PAGE, usequality=False, replace=0)
        if workstream:
            collector = collectors.FilterCollector(collector, allow=Term("workstream", workstream))
        searcher.search_with_collector(parser.parse(text), collector)
        results = collector.results()
        len(results)
        return [hit["id"] for hit in results]

    return {"build": build, **measure(run, query_list), "one_pass": measure(run_one_pass, query_list)}


def worker_fts5(items, query_list, workdir: Path, args) -> dict:
    db = sqlite3.connect(workdir / "fts5.sqlite3")
    started = time.perf_counter()
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, body, workstream UNINDEXED, tokenize='porter unicode61')"
    )
    db.executemany("INSERT INTO docs(title, body, workstream) VALUES (:title, :body, :workstream)", items)
    db.commit()
    build = time.perf_counter() - started

    def run(text, workstream):
        match = " ".join(f'"{word}"' for word in text.split())
        where, params = "docs MATCH ?", [match]
        if workstream:
            where, params = where + " AND workstream = ?", params + [workstream]
        db.execute(f"SELECT count(*) FROM docs WHERE {where}", params).fetchone()
        sql = f"SELECT rowid FROM docs WHERE {where} ORDER BY bm25(docs, 2.0, 1.0) LIMIT {PAGE}"
        return db.execute(sql, params).fetchall()

    return {"build": build, **measure(run, query_list)}


def worker(args) -> None:
    items = read_corpus(Path(args.corpus), args.size)
    query_list = queries(args.queries)
    workdir = Path(tempfile.mkdtemp(prefix="bpf-bench-search-"))
    try:
        if args.worker == "whoosh":
            result = worker_whoosh(items, query_list, workdir, args)
        elif args.worker == "fts5":
            result = worker_fts5(items, query_list, workdir, args)
        else:
            result = worker_django(args.worker, items, query_list, workdir, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(result))


# The orchestrator.


def run_worker(engine: str, size: int, corpus: Path, args) -> dict:
    command = [sys.executable, __file__, "--worker", engine, "--size", str(size), "--corpus", str(corpus)]
    command += ["--queries", str(args.queries), "--db-budget", str(args.db_budget)]
    if args.build_only:
        command.append("--build-only")
    if not args.expansion:
        command.append("--literal")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def table(size: int, results: dict, args) -> str:
    lines = [
        f"{size:,} items; {args.queries} queries of 1-3 words, each the first page of {PAGE} plus the total count",
        f"{'engine':<32}{'build s':>9}{'median ms':>11}{'p95 ms':>9}{'filtered median':>17}{'filtered p95':>14}{'queries':>9}",
    ]
    rows = [(label, results[engine]) for engine, label in ENGINES.items()]
    one_pass = {"build": results["whoosh"]["build"], **results["whoosh"]["one_pass"]}
    rows.insert(2, ("plain Whoosh, one counting pass", one_pass))
    for label, r in rows:
        lines.append(
            f"{label:<32}{r['build']:>9.1f}{r['plain']['median']:>11.1f}{r['plain']['p95']:>9.1f}"
            f"{r['filtered']['median']:>17.1f}{r['filtered']['p95']:>14.1f}{r['plain']['n']:>9}"
        )
    for engine in ("ours", "db-postgres"):
        taken = results.get(engine, {}).get("index_bytes")
        if taken:
            lines.append(
                f"index on disk, {ENGINES[engine]}: {taken / 2**20:.1f} MiB ({taken / size:,.0f} bytes an item)"
            )
    ours, fts5, sqlite_db = results["ours"], results["fts5"], results["db-sqlite"]
    # The floor for a Whoosh layer: the faster of the two ways of querying plain Whoosh.
    whoosh = {
        part: {stat: min(results["whoosh"][part][stat], one_pass[part][stat]) for stat in ("median", "p95")}
        for part in ("plain", "filtered")
    }

    def check(value: float, target: float, at_most: bool) -> str:
        return "meets target" if (value <= target if at_most else value >= target) else "MISSES target"

    lines.append("ratios (issue 3 targets; plain Whoosh = the faster of its two rows, per statistic):")
    for part, name in (("plain", "no filter"), ("filtered", "workstream filter")):
        for stat in ("median", "p95"):
            value = ours[part][stat] / whoosh[part][stat]
            lines.append(
                f"  ours / plain Whoosh, {stat}, {name}: {value:.2f}x (<= 1.3x: {check(value, 1.3, True)})"
            )
    for part, name in (("plain", "no filter"), ("filtered", "workstream filter")):
        value = sqlite_db[part]["p95"] / ours[part]["p95"]
        lines.append(
            f"  SQLite database backend / ours, p95, {name}: {value:.0f}x faster (>= 50x: {check(value, 50, False)})"
        )
    value = ours["build"] / sqlite_db["build"]
    lines.append(f"  build, ours / SQLite database backend: {value:.2f}x (<= 2x: {check(value, 2, True)})")
    for part, name in (("plain", "no filter"), ("filtered", "workstream filter")):
        lines.append(
            f"  ours / direct FTS5, {name}: median {ratio(ours[part]['median'], fts5[part]['median'])},"
            f" p95 {ratio(ours[part]['p95'], fts5[part]['p95'])}"
        )
    if sqlite_db["plain"]["n"] < args.queries:
        lines.append(
            f"  (the SQLite database backend ran {sqlite_db['plain']['n']} and {sqlite_db['filtered']['n']} of the "
            f"{args.queries} queries: each query set stops after {args.db_budget:.0f} s)"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--db-budget", type=float, default=90.0, help="seconds per query set, SQLite DB backend"
    )
    parser.add_argument("--engines", nargs="+", default=list(ENGINES), choices=list(ENGINES))
    parser.add_argument(
        "--literal",
        dest="expansion",
        action="store_false",
        help="hand the backends the text as typed, not parsed as the site search does (expansion off)",
    )
    parser.add_argument("--output", default=str(BENCH / "results" / "search.txt"))
    parser.add_argument(
        "--builds",
        type=int,
        metavar="ROUNDS",
        help="only time full builds, ours against the SQLite database backend, ROUNDS interleaved rounds",
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="only build each engine's index and report its size (bench/results/search-index-size.txt)",
    )
    parser.add_argument("--worker", choices=list(ENGINES), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    corpus_dir = Path(tempfile.mkdtemp(prefix="bpf-bench-corpus-"))
    corpus = corpus_dir / "corpus.jsonl"
    sections = [
        "Search benchmark (bench/search.py), this machine: "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}",
        f"Run {time.strftime('%Y-%m-%d %H:%M')}; times in milliseconds unless marked; build = full index build.",
        (
            "Django engines (ours, the database backends) get each query as the site search asks it:"
            " parsed with the seeded vocabulary (expansion on); plain Whoosh and FTS5 the text as typed."
            if args.expansion
            else "Every engine gets the text as typed (--literal: expansion off)."
        ),
    ]
    output = None
    try:
        print(f"Writing the corpus ({max(args.sizes):,} items)...", flush=True)
        write_corpus(corpus, max(args.sizes))
        if args.builds:
            args.build_only = True
            sections.append(build_rounds(corpus, args))
            output = Path(args.output).with_name("search-builds.txt")
        else:
            for size in args.sizes:
                results = {}
                for engine in args.engines:
                    print(f"{size:,} items: {ENGINES[engine]}...", flush=True)
                    results[engine] = run_worker(engine, size, corpus, args)
                if set(results) == set(ENGINES):
                    sections.append(table(size, results, args))
                elif args.build_only:
                    sections.append(sizes_table(size, results))
                else:
                    sections.append(json.dumps({size: results}, indent=1))
                print("\n" + sections[-1] + "\n", flush=True)
            if set(args.engines) == set(ENGINES):
                output = Path(args.output)
            elif args.build_only:
                output = Path(args.output).with_name("search-index-size.txt")
    finally:
        shutil.rmtree(corpus_dir, ignore_errors=True)
    report = "\n\n".join(sections) + "\n"
    if args.builds:
        print("\n" + report)
    if output is not None:
        output.write_text(report, encoding="utf-8")
        print(f"Written to {output}")


def sizes_table(size: int, results: dict) -> str:
    """``--build-only``: each engine's full build and the index's size on disk."""
    lines = [f"{size:,} items: full build and the index's size on disk"]
    for engine, result in results.items():
        taken = result.get("index_bytes")
        size_text = (
            f"{taken / 2**20:9.1f} MiB {taken / size:8,.0f} bytes an item" if taken else "(not measured)"
        )
        lines.append(f"  {ENGINES[engine]:<30} build {result['build']:7.1f} s   {size_text}")
    return "\n".join(lines)


def build_rounds(corpus: Path, args) -> str:
    """Full build times only, ours and the SQLite database backend alternating, several rounds:
    the build target of issue 3 as a median ratio rather than one pair of builds."""
    engines = ("ours", "db-sqlite")
    lines = [f"Full builds only, {args.builds} rounds, the two engines alternating; seconds"]
    lines.append(f"{'items':>8} {'engine':<28}{'each round':>36}{'median':>9}")
    for size in args.sizes:
        builds = {engine: [] for engine in engines}
        for round_number in range(args.builds):
            for engine in engines:
                builds[engine].append(run_worker(engine, size, corpus, args)["build"])
            print(f"{size:,} items: round {round_number + 1}/{args.builds} done", flush=True)
        for engine in engines:
            each = ", ".join(f"{value:.1f}" for value in builds[engine])
            lines.append(
                f"{size:>8,} {ENGINES[engine]:<28}{each:>36}{statistics.median(builds[engine]):>9.1f}"
            )
        value = statistics.median(builds["ours"]) / statistics.median(builds["db-sqlite"])
        lines.append(f"{'':>8} build, ours / SQLite database backend (medians): {value:.2f}x (target <= 2x)")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
