"""Forum pages and work against a trivial Django view, same gunicorn, same run.

    .venv/bin/python bench/forum.py [--rounds 3] [--seconds 8]

Builds a throw-away PostgreSQL database (demo content, then ``forum.bench.seed_forum``: a group
of 10,000 topics, a topic of 5,000 posts, 10,000 members with a pending summary), serves the
site with production settings under gunicorn (2 sync workers) and loads it with wrk from the
same machine, a member signed in. Measured: the topic page (first and last of its 250 pages),
the group page (first and last of its 400 pages), the live-update request when nothing changed
(htmx, answered 204, and with the ETag, 304), each as a ratio to the trivial view (goals from
issue 11: pages at least 1/20, the unchanged live update at least 1/3). Then, in-process:
posting a reply through the whole Django stack (the test client; seconds per reply) and the
daily summary run for the 10,000 members (seconds, e-mails to a dummy backend).
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, Baseline, Site, fresh_database, interleaved_rounds, ratio_lines  # noqa: E402

MEMBER = "alex.morgan@brighton-hove.gov.uk"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "forum.txt"))
    args = parser.parse_args()

    database = fresh_database("bpf_bench_forum")
    baseline_site = Baseline()
    site = Site(database, task_worker=False)
    try:
        print("Preparing the database (migrate, load_demo, forum volume)...", flush=True)
        site.manage("migrate", "--noinput")
        site.manage("collectstatic", "--noinput")
        site.manage("load_demo")
        seeded = json.loads(
            site.python(
                f"import json\nfrom forum.bench import seed_forum\nprint(json.dumps(seed_forum(member_email={MEMBER!r})))"
            )
        )
        member = (site.browser_cookie_for(MEMBER),)
        topic, group, topic_id = seeded["topic"], seeded["group"], seeded["topic_id"]
        updates = f"/forum/topics/{topic_id}/updates/?after=5000"
        etag = f'If-None-Match: "topic-{topic_id}-5000"'
        baseline_site.start()
        site.start()
        cases = [
            ("trivial Django view (minimal settings)", baseline_site.url("/"), ()),
            ("topic of 5,000 posts, first page", topic, member),
            ("topic of 5,000 posts, last page", f"{topic}?page=250", member),
            ("group of 10,000 topics, first page", group, member),
            ("group of 10,000 topics, page 400", f"{group}?page=400", member),
            ("live update, nothing new (204)", updates, (*member, "HX-Request: true")),
            ("live update, nothing new (304, ETag)", updates, (*member, "HX-Request: true", etag)),
        ]
        runs = interleaved_rounds(site, cases, rounds=args.rounds, seconds=args.seconds)
        site.check_signed_in(member[0], topic)
    finally:
        baseline_site.stop()
    try:
        print("Posting replies and the daily summary, in-process...", flush=True)
        per_reply = float(
            site.python(
                f"from forum.bench import time_replies\nprint(time_replies(member_email={MEMBER!r}, topic_id={topic_id}))"
            )
        )
        digest = site.python("from forum.bench import time_digest\nprint(*time_digest())").split()
    finally:
        site.stop()

    lines = [
        "Ratios are to the trivial Django view (minimal settings, no database) in the same run.",
        "Forum benchmark: gunicorn 2 sync workers, production settings, PostgreSQL, a member signed in",
        f"wrk -t2 -c8 -d{args.seconds}s per URL, {args.rounds} rounds interleaved; medians",
        "",
        *ratio_lines(cases, runs),
    ]
    lines += [
        "",
        f"posting a reply (test client, whole stack, 200 replies): {per_reply * 1000:.1f} ms each, "
        f"{1 / per_reply:.0f} a second",
        f"daily summary for 10,000 members: {float(digest[0]):.1f} s, {digest[1]} e-mails "
        f"({float(digest[0]) / max(int(digest[1]), 1) * 1000:.1f} ms each)",
    ]
    report = "\n".join(lines)
    print("\n" + report)
    Path(args.output).write_text(report + "\n")


if __name__ == "__main__":
    main()
