"""The scale profile against the single-machine defaults: cost per request, same pages, one run.

    .venv/bin/python bench/scale.py [--rounds 3] [--seconds 6]

One PostgreSQL database with the demo content and ``seed_bench``, served twice under gunicorn
(2 sync workers each, production settings) in the same run:

- **defaults**: the file cache under ``var/cache`` and the Whoosh index on local disk (what one
  app server runs; the README's embedded defaults);
- **scale profile**: ``CACHE_URL`` on Redis (``BENCH_REDIS_URL``, default database 15 of the
  local server, emptied first) and ``SEARCH_BACKEND=database`` (Wagtail's PostgreSQL backend,
  the index in the shared database), as every app server of a cluster runs (README).

Both queue background work in the database (one ``db_worker``). This 2-core machine cannot
show more servers helping, so what is compared is the cost of a request: requests per second
of each case on each profile, as a ratio to the trivial Django view of the same run, and the
scale profile's cost over the defaults' (issue 13: at most 1.3 times on shared pages, at most
2 times on the site search at demo volume). Larger indexes: ``bench/search.py`` (10,000 and
50,000 items, both backends).
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    ROOT,
    Baseline,
    Site,
    fresh_database,
    interleaved_rounds,
    median,
    ratio_lines,
)

VARIED_SEARCHES = Path(__file__).resolve().parent / "varied_searches.lua"
MEMBER = "alex.morgan@brighton-hove.gov.uk"


def cache_contents(client) -> list[str]:
    """Entries and bytes in the cache by kind (the key's first word after Django's prefix)."""
    kinds: dict[str, list[int]] = {}
    for key in client.scan_iter(count=1000):
        kind = key.decode().split(":", 2)[-1].split(":", 1)[0]
        if kind.startswith("django.contrib.sessions"):
            kind = "sessions"  # the session's key follows without a colon
        entry = kinds.setdefault(kind, [0, 0])
        entry[0] += 1
        entry[1] += client.memory_usage(key) or 0
    total = [sum(entry[0] for entry in kinds.values()), sum(entry[1] for entry in kinds.values())]
    rows = sorted(kinds.items(), key=lambda item: -item[1][1])
    return [
        f"  {kind:40} {n:6} entries {size / 1024:9.1f} KiB" for kind, (n, size) in [*rows, ("all", total)]
    ]


def main() -> None:
    import os

    import redis

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "scale.txt"))
    args = parser.parse_args()

    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    redis.Redis.from_url(redis_url).flushdb()
    database = fresh_database("bpf_bench_scale")
    baseline_site = Baseline()
    defaults = Site(database)
    scale = Site(
        database,
        task_worker=False,  # one worker drains the shared queue
        CACHE_URL=redis_url,
        SEARCH_BACKEND="database",
        SECRET_KEY=defaults.env["SECRET_KEY"],  # the same sessions on both
    )
    try:
        print("Preparing the database (migrate, load_demo, seed_bench, both indexes)...", flush=True)
        defaults.manage("migrate", "--noinput")
        for site in (defaults, scale):
            site.manage("collectstatic", "--noinput")
        defaults.manage("load_demo")
        defaults.manage("seed_bench", "--scale", str(args.scale))
        scale.manage("rebuild_modelsearch_index")
        member = (defaults.browser_cookie_for(MEMBER),)
        baseline_site.start()
        defaults.start()
        scale.start()
        cases = [("trivial Django view (minimal settings)", baseline_site.url("/"), ())]
        pairs = [
            ("home page, anonymous (shared page)", "/", (), None),
            ("scheme page, member (shared per audience)", "/schemes/pan-sussex/", member, None),
            ("home page, member (rendered for them)", "/", member, None),
            ("site search 'information sharing', member", "/search/?q=information+sharing", member, None),
            ("site search, member, each new", "/search/", member, str(VARIED_SEARCHES)),
        ]
        for name, path, headers, script in pairs:
            for label, site in (("defaults", defaults), ("scale", scale)):
                case = (f"{name} [{label}]", site.url(path), headers)
                cases.append((*case, script) if script else case)
        runs = interleaved_rounds(defaults, cases, rounds=args.rounds, seconds=args.seconds)
        for site in (defaults, scale):
            site.check_signed_in(member[0], "/members/")
        kept = cache_contents(redis.Redis.from_url(redis_url))
    finally:
        baseline_site.stop()
        scale.stop()
        defaults.stop()

    lines = [
        "Ratios are to the trivial Django view (minimal settings, no database) in the same run.",
        "Scale profile (Redis cache, PostgreSQL search backend) against the defaults (file cache,",
        "Whoosh on disk); both PostgreSQL, production settings, gunicorn 2 sync workers each,",
        f"demo + seed_bench --scale {args.scale}; wrk -t2 -c8 -d{args.seconds}s per URL, "
        f"{args.rounds} rounds interleaved; medians",
        "",
        *ratio_lines(cases, runs),
        "",
        "cost per request, scale profile / defaults (goals: shared pages <= 1.3x, search <= 2x):",
    ]
    for name, *_ in pairs:
        cost = median(runs[f"{name} [defaults]"]["rps"]) / median(runs[f"{name} [scale]"]["rps"])
        lines.append(f"  {name:48} {cost:.2f}x")
    lines += ["", "what the scale profile's cache (Redis) held after the run, by kind of entry:", *kept]
    report = "\n".join(lines)
    print("\n" + report)
    Path(args.output).write_text(report + "\n")


if __name__ == "__main__":
    main()
