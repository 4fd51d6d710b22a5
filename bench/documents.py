"""Document library benchmark: text extraction times, and the library page's requests per
second with 5,000 documents against a trivial Django view with minimal settings and no database
(bench/trivial.py, same gunicorn settings) in the same run.

    .venv/bin/python bench/documents.py [--documents 5000] [--rounds 3] [--seconds 8]

Extraction: a generated 200-page PDF and 100-page DOCX, read through the same limited child
process the upload task uses. Library: a throw-away PostgreSQL database (bpf_bench_docs) with
the demo content topped up to N documents, served by gunicorn (2 sync workers, production
settings, a `manage.py db_worker` beside it for the queued background work) on 127.0.0.1 and
loaded with wrk from the same machine (see bench/common.py).
Signed-in pages are measured as served (per-audience page cache) and rendered on every
request (a second gunicorn with that cache off); a national editor's, never shared, rendered.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import ROOT, Baseline, Site, fresh_database, interleaved_rounds, median  # noqa: E402


def extraction_times() -> list[str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from documents.extraction import extract_file
    from documents.samples import make_docx, make_pdf

    clauses = [
        "# 1. Purpose",
        "1.1 This Memorandum sets out how the partners share information about anti-social behaviour, hate "
        "crime and street homelessness cases on the shared case management system, so that each case is "
        "handled once, by the right agency, under section 115 of the Crime and Disorder Act 1998.",
        "1.2 It applies to every member of staff of each partner who holds an account on the system, and to "
        "contractors working on a partner's behalf.",
        "# 2. Retention",
        "2.1 Case records are kept for three years after a case is closed, then deleted automatically by the "
        "system. A partner may ask for a record to be kept longer where a court order requires it.",
    ] * 3
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        for extension, pages, builder in (("pdf", 200, make_pdf), ("docx", 100, make_docx)):
            path = Path(folder) / f"long.{extension}"
            path.write_bytes(builder(clauses, repeat=pages, page_breaks=True))
            timings = []
            for _ in range(3):
                started = time.perf_counter()
                result = extract_file(path, extension)
                timings.append(time.perf_counter() - started)
            lines.append(
                f"{pages}-page {extension.upper()} ({path.stat().st_size / 1024:.0f} KB): "
                f"{median(timings):.2f} s median of 3 (status {result.status}, "
                f"{len(result.text):,} characters, pages read {result.page_count or '-'})"
            )
            print(lines[-1], flush=True)
    return lines


def library_throughput(args) -> list[str]:
    database = fresh_database("bpf_bench_docs")
    baseline_site = Baseline()
    site = Site(database)
    # The same site with the per-audience page cache off: every signed-in page rendered.
    # It shares the first one's folder (search index, media, cache) and secret key (sessions).
    # One task worker (the first site's) serves both: they share the database queue.
    rendering = Site(
        database,
        task_worker=False,
        AUDIENCE_PAGE_CACHE_SECONDS="0",
        VAR_DIR=str(site.var),
        SECRET_KEY=site.env["SECRET_KEY"],
    )
    try:
        print("Preparing the database (migrate, load_demo, documents)...", flush=True)
        site.manage("migrate", "--noinput")
        site.manage("collectstatic", "--noinput")
        site.manage("load_demo")
        added = site.python(
            f"from documents.bench import seed_documents\nprint(seed_documents(count={args.documents}))\n"
        )
        total = site.python("from documents.models import GovernanceDocument as G\nprint(G.objects.count())")
        print(f"{added} documents added, {total} in the library", flush=True)
        member_cookie = site.browser_cookie_for("alex.morgan@brighton-hove.gov.uk")
        editor_cookie = site.browser_cookie_for("jo.bennett@sussex-pcc.gov.uk")
        baseline_site.start()
        site.start()
        rendering.start()
        cases = [
            ("trivial Django view (minimal settings)", baseline_site.url("/"), ()),
            ("the site's /healthz/", "/healthz/", ()),
            ("library, anonymous", "/library/", ()),
            (
                "library filtered and sorted, anonymous",
                "/library/?kind=mou&workstream=hate-crime&sort=title",
                (),
            ),
            ("library, signed-in member", "/library/", (member_cookie,)),
            (
                "library page 40 with filters, member",
                "/library/?status=agreed&region=south_east&page=40",
                (member_cookie,),
            ),
            ("library search 'Memorandum', member", "/library/?q=Memorandum", (member_cookie,)),
            ("document page, member", "/library/2-pan-sussex-memorandum-of-understanding/", (member_cookie,)),
            ("version comparison, member", "/library/2/compare/?a=1&b=2", (member_cookie,)),
        ]
        # The signed-in cases again, rendered on every request; and for a national editor,
        # whose pages are never shared.
        signed_in = [case for case in cases if case[2]]
        cases += [(f"{name}, rendered", rendering.url(path), headers) for name, path, headers in signed_in]
        cases += [
            (name.replace("member", "national editor").replace("signed-in ", ""), path, (editor_cookie,))
            for name, path, _ in signed_in
        ]
        runs = interleaved_rounds(site, cases, rounds=args.rounds, seconds=args.seconds)
        site.check_signed_in(member_cookie)
        rendering.check_signed_in(member_cookie)
        site.check_signed_in(editor_cookie)
    finally:
        baseline_site.stop()
        rendering.stop()
        site.stop()  # last: it removes the folder both use
    baseline = median(runs[cases[0][0]]["rps"])
    lines = [
        f"Library: {total} documents, gunicorn 2 sync workers and a db_worker, production settings, PostgreSQL; "
        f"wrk -t2 -c8 -d{args.seconds}s per URL, {args.rounds} rounds interleaved; medians",
        "Ratios are to the trivial Django view (minimal settings, no database, bench/trivial.py) in the same run.",
        f"{'case':48} {'req/s':>9} {'p50 ms':>8} {'of baseline':>12} {'non-2xx':>8}",
    ]
    for name, _, _ in cases:
        rps = median(runs[name]["rps"])
        lines.append(
            f"{name:48} {rps:9.1f} {median(runs[name]['p50_ms']):8.1f} "
            f"{f'1/{baseline / rps:.1f}':>12} {runs[name]['errors']:8d}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "documents.txt"))
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M")
    lines = [f"Document library benchmark, {started}, {os.cpu_count()} CPUs", "", "Text extraction:"]
    lines += extraction_times()
    lines += [""]
    lines += library_throughput(args)
    output = "\n".join(lines) + "\n"
    print(output)
    Path(args.output).write_text(output)


if __name__ == "__main__":
    main()
