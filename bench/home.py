"""Home page requests per second against a trivial Django view, same gunicorn, same run.

    .venv/bin/python bench/home.py [--scale 10] [--rounds 3] [--seconds 8]

Builds a throw-away PostgreSQL database (demo content plus ``seed_bench --scale N``), serves
the site with production settings under gunicorn (2 sync workers) on 127.0.0.1 and loads it
with wrk from the same machine. Each round measures every URL in turn; the table gives the
median over rounds, and each page's ratio to the trivial view of the same run: a Django view
with minimal settings and no database (``bench/trivial.py``) under the same gunicorn settings,
as DESIGN.md section 7 asks (the site's own /healthz/, which passes through the whole
middleware stack, is shown beside it). Signed-in pages are measured twice: as served (from the
per-audience page cache after the first request) and rendered on every request (a second
gunicorn with that cache off); a national editor's pages are never shared, so always rendered.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Baseline, Site, fresh_database, interleaved_rounds, ratio_lines  # noqa: E402

SOLUTION = "/knowledge/restorative-justice-faster-information-sharing/"
# A different search each request: two of these words, in either sort (3,200 searches).
VARIED_SEARCHES = Path(__file__).resolve().parent / "varied_searches.lua"
KNOWLEDGE_FILTERED = "/knowledge/?workstream=hate-crime&evidence=evaluated_locally&sort=reviewed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "home.txt"))
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated parts of the rows' names to measure (the trivial view always); "
        "the report is then printed, not written",
    )
    args = parser.parse_args()

    database = fresh_database("bpf_bench_home")
    baseline_site = Baseline()
    site = Site(database)
    # The same site with the per-audience page cache off: every signed-in page rendered.
    # It shares the first one's folder (search index, media, cache) and secret key (sessions).
    rendering = Site(
        database, AUDIENCE_PAGE_CACHE_SECONDS="0", VAR_DIR=str(site.var), SECRET_KEY=site.env["SECRET_KEY"]
    )
    try:
        print("Preparing the database (migrate, load_demo, seed_bench)...", flush=True)
        site.manage("migrate", "--noinput")
        site.manage("collectstatic", "--noinput")
        site.manage("load_demo")
        site.manage("seed_bench", "--scale", str(args.scale))
        member_cookie = site.browser_cookie_for("alex.morgan@brighton-hove.gov.uk")
        editor_cookie = site.browser_cookie_for("jo.bennett@sussex-pcc.gov.uk")
        baseline_site.start()
        site.start()
        rendering.start()

        editor = (editor_cookie,)
        member = (member_cookie,)
        cases = [
            ("trivial Django view (minimal settings)", baseline_site.url("/"), ()),
            ("the site's /healthz/", "/healthz/", ()),
            # Shared pages: from the anonymous page cache, or the per-audience cache for members.
            ("home page, anonymous (page cache)", "/", ()),
            ("scheme page, member (audience cache)", "/schemes/pan-sussex/", member),
            ("knowledge index, member (audience cache)", "/knowledge/", member),
            ("solution page, member (audience cache)", SOLUTION, member),
            # Rendered on every request: a member's own home page, the audience cache off, and
            # every page for a national editor (edit links: never shared).
            ("home page, member (per person)", "/", member),
            ("scheme page, member, rendered", rendering.url("/schemes/pan-sussex/"), member),
            ("knowledge index, member, rendered", rendering.url("/knowledge/"), member),
            ("home page, national editor", "/", editor),
            ("standard page, national editor", "/about/", editor),
            ("scheme index, national editor", "/schemes/", editor),
            ("scheme page, national editor", "/schemes/pan-sussex/", editor),
            ("knowledge index, national editor", "/knowledge/", editor),
            ("knowledge, filtered, national editor", KNOWLEDGE_FILTERED, editor),
            ("solution page, national editor", SOLUTION, editor),
            ("workstream list, national editor", "/workstreams/", editor),
            ("workstream hub, national editor", "/workstreams/hate-crime/", editor),
            ("onboarding route, national editor", "/onboarding/", editor),
            # A page of search results is kept per audience (members) or person (editors) and
            # search: the same search again, then a different one on every request.
            ("site search 'information sharing', member", "/search/?q=information+sharing", member),
            ("site search, national editor", "/search/?q=information+sharing", editor),
            ("site search, member, each new", "/search/", member, str(VARIED_SEARCHES)),
        ]
        if args.only:
            wanted = [part.strip() for part in args.only.split(",") if part.strip()]
            cases = [case for n, case in enumerate(cases) if n == 0 or any(w in case[0] for w in wanted)]
        runs = interleaved_rounds(site, cases, rounds=args.rounds, seconds=args.seconds)
        site.check_signed_in(member_cookie)
        site.check_signed_in(editor_cookie)
        rendering.check_signed_in(member_cookie)
    finally:
        baseline_site.stop()
        rendering.stop()
        site.stop()  # last: it removes the folder both use

    lines = [
        "Ratios are to the trivial Django view (minimal settings, no database) in the same run.",
        f"Home page benchmark: gunicorn 2 sync workers, production settings, PostgreSQL, seed_bench --scale {args.scale}",
        f"wrk -t2 -c8 -d{args.seconds}s per URL, {args.rounds} rounds interleaved; medians",
        "",
        *ratio_lines(cases, runs),
    ]
    report = "\n".join(lines)
    print("\n" + report)
    if not args.only:
        Path(args.output).write_text(report + "\n")


if __name__ == "__main__":
    main()
