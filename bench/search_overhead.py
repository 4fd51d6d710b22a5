"""The engine's own overhead: our Whoosh backend against plain Whoosh on the same books, interleaved.

    .venv/bin/python bench/search_overhead.py [--size 10000] [--queries 120] [--runs 3]
    .venv/bin/python bench/search_overhead.py --profile ours   # where our per-query time goes

A model of the shape of modelsearch's own test ``Book`` (``bench/searchbench/models.py``: a
title boosted 10, a summary boosted 2, writers' names through a many-to-many relation, a page
count and a date as filters) holds ``--size`` books made from the synthetic corpus of
``bench/search.py`` (``bench/search_corpus.py``: the title, the first ~120 words of the body as
the summary, one to three writers from a pool of 400). It is indexed by our backend
(``search.backends.whoosh``) and, for the build ratio, by Wagtail's database backend on SQLite;
the same text goes into a plain Whoosh index with an equivalent schema, queried with one
searcher kept open for the whole run.

Each query (one to three words) asks for the count and the first 10 *objects*: our backend as a
view does (``Book.objects.search(text)``, ``count()``, ``[:10]``); plain Whoosh parses the text
with its ``MultifieldParser`` (every word required, the same field boosts), collects the top 10
and the exact count in one pass (``replace=0``: Whoosh's default swaps in a matcher that drops
low-boost branches once the page is full, and undercounts), and fetches the 10 books by primary key through the ORM. With
``--filter`` ("pages > 300") as a numeric filter: our queryset's ``filter(pages__gt=300)``,
plain Whoosh's ``NumericRange`` as the collector's filter. The engines alternate query by query
(and which goes first alternates too), so the machine's drift falls on both alike; ``--runs``
rounds of the query set, each reporting p50 and p95 of both and their ratios; the summary gives
the median of the runs' ratios. Results: ``bench/results/search-overhead.txt``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pstats
import random
import shutil
import statistics
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
PAGES_OVER = 300
WRITERS = 400


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def setup_django(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "search_settings"
    os.environ["BENCH_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["BENCH_INDEX_PATH"] = str(workdir / "index")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)


def load_books(items: list[dict]) -> list[dict]:
    """Books and writers into the database; returns what plain Whoosh indexes for each book."""
    from searchbench.models import Book, Writer

    rng = random.Random(14)
    first = "Amara Ben Chloe Dev Esther Farid Grace Hamza Isla Jonah Kiran Lena Mo Nia Owen Priya".split()
    last = "Adeyemi Brennan Clarke Dhillon Evans Fraser Gill Hughes Iqbal Jones Khan Lewis Moss".split()
    writers = Writer.objects.bulk_create(
        Writer(
            name=f"{rng.choice(first)} {rng.choice(last)}", born=datetime.date(1950 + n % 50, 1 + n % 12, 1)
        )
        for n in range(WRITERS)
    )
    books = Book.objects.bulk_create(
        (
            Book(
                title=item["title"],
                summary=" ".join(item["body"].split()[:120]),
                published=datetime.date(2000 + n % 25, 1 + n % 12, 1 + n % 28),
                pages=rng.randint(40, 600),
            )
            for n, item in enumerate(items)
        ),
        batch_size=2000,
    )
    links, documents = [], []
    through = Book.writers.through
    for book in books:
        chosen = rng.sample(writers, rng.randint(1, 3))
        links += [through(book_id=book.pk, writer_id=writer.pk) for writer in chosen]
        documents.append(
            {
                "id": str(book.pk),
                "title": book.title,
                "summary": book.summary,
                "writers": " ".join(writer.name for writer in chosen),
                "pages": book.pages,
            }
        )
    through.objects.bulk_create(links, batch_size=5000)
    return documents


def build_ours() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("rebuild_modelsearch_index", backend_name="default", verbosity=0)
    return time.perf_counter() - started


def build_database() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("rebuild_modelsearch_index", backend_name="database", verbosity=0)
    return time.perf_counter() - started


def build_plain(documents: list[dict], path: Path):
    from whoosh import fields, index

    schema = fields.Schema(
        id=fields.ID(stored=True, unique=True),
        title=fields.TEXT(analyzer=_analyzer()),
        summary=fields.TEXT(analyzer=_analyzer()),
        writers=fields.TEXT(analyzer=_analyzer()),
        pages=fields.NUMERIC(int),
    )
    path.mkdir()
    started = time.perf_counter()
    ix = index.create_in(str(path), schema)
    writer = ix.writer(limitmb=256)
    for document in documents:
        writer.add_document(**document)
    writer.commit()
    return ix, time.perf_counter() - started


def _analyzer():
    from whoosh.analysis import StemmingAnalyzer

    return StemmingAnalyzer()


def engines(ix):
    """(name, run(text, filtered)) for our backend and plain Whoosh."""
    from searchbench.models import Book
    from whoosh import collectors
    from whoosh.qparser import AndGroup, MultifieldParser
    from whoosh.query import NumericRange

    def ours(text, filtered):
        queryset = Book.objects.filter(pages__gt=PAGES_OVER) if filtered else Book.objects.all()
        results = queryset.search(text)
        count = results.count()
        return count, list(results[:PAGE])

    searcher = ix.searcher()
    parser = MultifieldParser(
        ["title", "summary", "writers"],
        ix.schema,
        fieldboosts={"title": 10.0, "summary": 2.0},
        group=AndGroup,
    )
    over = NumericRange("pages", PAGES_OVER + 1, None)

    def plain(text, filtered):
        collector = collectors.TopCollector(limit=PAGE, usequality=False, replace=0)
        if filtered:
            collector = collectors.FilterCollector(collector, allow=over)
        searcher.search_with_collector(parser.parse(text), collector)
        results = collector.results()
        ids = [searcher.stored_fields(docnum)["id"] for _, docnum in results.top_n]
        books = {str(book.pk): book for book in Book.objects.filter(pk__in=ids)}
        return len(results), [books[pk] for pk in ids if pk in books]

    return {"ours": ours, "plain": plain}


def interleaved(runs: dict, query_list, filtered: bool) -> dict[str, list[float]]:
    names = list(runs)
    for text, _ in query_list[:WARM_UP]:
        for name in names:
            runs[name](text, filtered)
    timings = {name: [] for name in names}
    for number, (text, _) in enumerate(query_list):
        order = names if number % 2 == 0 else names[::-1]
        for name in order:
            before = time.perf_counter()
            runs[name](text, filtered)
            timings[name].append((time.perf_counter() - before) * 1000)
    return timings


def check_same_counts(runs: dict, query_list) -> int:
    """How many queries the two engines count differently (they should agree; reported)."""
    differ = 0
    for text, _ in query_list:
        for filtered in (False, True):
            if runs["ours"](text, filtered)[0] != runs["plain"](text, filtered)[0]:
                differ += 1
    return differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", choices=["ours", "plain"], help="profile one engine's queries instead")
    parser.add_argument("--output", default=str(BENCH / "results" / "search-overhead.txt"))
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bpf-bench-overhead-"))
    try:
        write_corpus(workdir / "corpus.jsonl", args.size)
        items = read_corpus(workdir / "corpus.jsonl", args.size)
        setup_django(workdir)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")
        documents = load_books(items)
        builds = {"ours": [], "database": []}
        for _ in range(args.runs if not args.profile else 1):
            builds["database"].append(build_database())
            builds["ours"].append(build_ours())
        ix, plain_build = build_plain(documents, workdir / "plain")
        query_list = queries(args.queries, seed=1414)
        runs = engines(ix)
        if args.profile:
            profiler = cProfile.Profile()
            for text, _ in query_list[:WARM_UP]:
                runs[args.profile](text, False)
            profiler.enable()
            for _ in range(3):
                for text, _ in query_list:
                    runs[args.profile](text, False)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            return
        lines = [
            "Engine overhead (bench/search_overhead.py): our Whoosh backend / plain Whoosh, persistent searcher;",
            f"{args.size:,} books (modelsearch's test Book shape), {args.queries} queries of 1-3 words,",
            f"count + first {PAGE} objects fetched; engines interleaved query by query; {args.runs} runs.",
            f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores (shared machine: medians).",
            f"differing counts (ours vs plain, both filters): {check_same_counts(runs, query_list)}",
            f"{'run':<5}{'filter':<14}{'ours p50':>10}{'plain p50':>11}{'ratio':>8}{'ours p95':>10}{'plain p95':>11}{'ratio':>8}",
        ]
        ratios = {(f, s): [] for f in ("none", "pages > 300") for s in ("p50", "p95")}
        for run in range(args.runs):
            for filtered, label in ((False, "none"), (True, "pages > 300")):
                timings = interleaved(runs, query_list, filtered)
                ours50, plain50 = statistics.median(timings["ours"]), statistics.median(timings["plain"])
                ours95, plain95 = percentile(timings["ours"], 0.95), percentile(timings["plain"], 0.95)
                ratios[(label, "p50")].append(ours50 / plain50)
                ratios[(label, "p95")].append(ours95 / plain95)
                lines.append(
                    f"{run + 1:<5}{label:<14}{ours50:>10.2f}{plain50:>11.2f}{ours50 / plain50:>7.2f}x"
                    f"{ours95:>10.2f}{plain95:>11.2f}{ours95 / plain95:>7.2f}x"
                )
                print(lines[-1], flush=True)
        lines.append("ratios, ours / plain Whoosh (each run; median):")
        for (label, stat), values in ratios.items():
            each = ", ".join(f"{v:.2f}x" for v in values)
            target = " (target <= 1.3x)" if stat == "p50" and label == "none" else ""
            lines.append(f"  {stat}, filter {label}: {each}; median {statistics.median(values):.2f}x{target}")
        ours_build, db_build = statistics.median(builds["ours"]), statistics.median(builds["database"])
        lines.append(
            f"build s: ours {', '.join(f'{b:.1f}' for b in builds['ours'])}; database backend (SQLite) "
            f"{', '.join(f'{b:.1f}' for b in builds['database'])}; plain Whoosh {plain_build:.1f}"
        )
        lines.append(f"  build, ours / SQLite database backend (medians): {ours_build / db_build:.2f}x")
        report = "\n".join(lines) + "\n"
        print(report)
        Path(args.output).write_text(report, encoding="utf-8")
        print(f"Written to {args.output}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
