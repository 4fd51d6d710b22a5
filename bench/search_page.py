"""The cold site search page against a trivial Django view, in one process.

    .venv/bin/python bench/search_page.py --prepare      # once: demo content, the search index
    .venv/bin/python bench/search_page.py [--n 200] [--profile | --split]

Production settings, PostgreSQL (a scratch database ``bpf_bench_search_page``), the file cache,
a member signed in, as bench/home.py's "site search, member, varied" row: every request is a
different search (two of the forty words of ``bench/varied_searches.lua``, in either sort), so
none is answered from the kept results; and, as a fourth case, searches whose two words (their
stems) were never searched before in the process (from one item's title and summary: Whoosh
matches both afresh, ``scored_parts`` keeps nothing for them yet). Requests go through
Django's WSGI handler (every middleware), interleaved with a trivial view's (no middleware, one path:
``bench/forum_inprocess.py``); the figures are medians, and the ratio is the search's median
over the trivial view's. A second pass counts the SQL queries of each search (maximum and
median). ``--profile`` prints where a search's time goes (cProfile); ``--split`` times each part
of the view and of each source in real time.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(BENCH))

os.environ.setdefault("BENCH_DATABASE", "bpf_bench_search_page")
from forum_inprocess import DATABASE, _call, _environment, trivial_application  # noqa: E402

MEMBER = "alex.morgan@brighton-hove.gov.uk"


def varied_searches(count: int, seed: int) -> list[str]:
    """``count`` different searches: two words of varied_searches.lua's forty, either sort."""
    lua = (BENCH / "varied_searches.lua").read_text(encoding="utf-8")
    words = re.findall(r'"([^"]+)"', lua.split("local words = {", 1)[1].split("}", 1)[0])
    rng = random.Random(seed)
    seen, paths = set(), []
    while len(paths) < count:
        a, b, sort = rng.choice(words), rng.choice(words), rng.choice(["", "&sort=newest"])
        if (a, b, sort) not in seen:
            seen.add((a, b, sort))
            paths.append(f"/search/?q={a}+{b}{sort}")
    return paths


def unsearched_pairs(count: int, used: set[str]) -> list[str]:
    """``count`` searches of two words never searched before in this process (nor in ``used``),
    both from one live page's or document's title and summary, so that all-the-words finds it:
    every word is new to the kept scores (``search.backends.whoosh.scored_parts``)."""
    from wagtail.models import Page

    from documents.models import GovernanceDocument
    from search.backends.whoosh.analysis import stemmed_terms
    from search.query import STOP_WORDS

    def stem(word: str) -> str:
        return "".join(stemmed_terms(word)) or word

    texts = [
        " ".join(filter(None, row)) for row in Page.objects.live().values_list("title", "search_description")
    ]
    texts += [
        " ".join(filter(None, row)) for row in GovernanceDocument.objects.values_list("title", "summary")
    ]
    rng = random.Random(count)
    rng.shuffle(texts)
    paths, seen = [], {stem(word) for word in used}
    while len(paths) < count:
        before = len(paths)
        for text in texts:
            words = {stem(w): w for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in STOP_WORDS}
            words = [word for key, word in words.items() if key not in seen]
            if len(words) >= 2:
                pair = rng.sample(words, 2)
                seen.update(stem(word) for word in pair)
                paths.append(f"/search/?q={pair[0]}+{pair[1]}")
                if len(paths) == count:
                    break
        if len(paths) == before:
            break  # no text has two unused words left
    return paths


def prepare(database_url: str) -> None:
    from common import fresh_database

    fresh_database(DATABASE)
    env = {**os.environ, **_environment(database_url)}
    python = str(ROOT / ".venv" / "bin" / "python")
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["load_demo"]):
        subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [python, "manage.py", "rebuild_modelsearch_index", "--verbosity", "0"], cwd=ROOT, env=env, check=True
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--n", type=int, default=200, help="different searches (each once)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--callees", default="", help="with --profile: a function whose callees to print")
    parser.add_argument(
        "--split", action="store_true", help="time each part of a search (real time, no profiler)"
    )
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
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = get_user_model().objects.get(email=MEMBER)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookie = f"sessionid={session.session_key}; csrftoken={secrets.token_hex(16)}"
    from django.core.cache import caches

    for name in caches:  # this bench's own cache folder: no search kept from an earlier run
        caches[name].clear()
    site, trivial = get_wsgi_application(), trivial_application()
    # Warm up on searches of another seed (the process's first requests load templates etc.).
    for path in varied_searches(20, args.seed + 1000):
        assert _call(site, path, cookie, {}).startswith("200"), path
        _call(trivial, "/", "", {})
    searches = varied_searches(args.n, args.seed)
    if args.split:
        split(site, searches, cookie)
        return
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for path in searches:
            _call(site, path, cookie, {})
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(30)
        if args.callees:
            stats.sort_stats("cumulative").print_callees(args.callees)
            stats.print_callers(args.callees)
        return
    # The same run, interleaved: searches as served, and (another list of searches, as cold)
    # with presented pages not kept between searches (search.sources.presented), the
    # state before that cut.
    from search import sources

    kept_limit = sources.PRESENTED_LIMIT

    def without_kept(app):
        def call(environ, start_response):
            sources.PRESENTED_LIMIT = 0
            try:
                return app(environ, start_response)
            finally:
                sources.PRESENTED_LIMIT = kept_limit

        return call

    lua = (BENCH / "varied_searches.lua").read_text(encoding="utf-8")
    listed = set(re.findall(r'"([^"]+)"', lua.split("local words = {", 1)[1].split("}", 1)[0]))
    unsearched = unsearched_pairs(args.n, listed)
    cases = (
        ("trivial", trivial, None, ""),
        ("search", site, searches, cookie),
        ("search, pages not kept", without_kept(site), varied_searches(args.n, args.seed + 3000), cookie),
        (f"search, both words never searched before ({len(unsearched)})", site, unsearched, cookie),
    )
    times = {name: [] for name, *_ in cases}
    for number in range(args.n):
        for name, app, paths, cookies in cases:
            if paths is not None and number >= len(paths):
                continue
            target = "/" if paths is None else paths[number]
            started = time.perf_counter()
            status = _call(app, target, cookies, {})
            times[name].append(time.perf_counter() - started)
            assert status.startswith("200"), (target, status)
    counts = []
    for path in varied_searches(args.n, args.seed + 2000):  # cold again: searches not yet made
        with CaptureQueriesContext(connection) as captured:
            _call(site, path, cookie, {})
        counts.append(len(captured))
    trivial_ms = statistics.median(times["trivial"]) * 1000
    print(f"{args.n} different searches a case (member, production settings, PostgreSQL), medians:")
    print(f"  trivial view {trivial_ms:.3f} ms")
    for name in list(times)[1:]:
        value = statistics.median(times[name]) * 1000
        print(f"  {name}: {value:.2f} ms, 1/{value / trivial_ms:.0f} of the trivial view")
    print(f"  SQL queries a search: median {statistics.median(counts):.0f}, max {max(counts)}")


def split(site, searches: list[str], cookie: str) -> None:
    """Where a new search's time goes, in real time: each part of the view and of each source
    wrapped in a timer (parts nest: the sources' candidates are inside the gathering, Whoosh
    and the SQL inside those). cProfile's figures overstate code that makes many small calls."""
    import collections

    from django.core.cache.backends.filebased import FileBasedCache
    from django.db.backends.utils import CursorWrapper

    import search.views as views
    from accounts.backends import _PreparedUserLookup
    from search import sources as sources_module
    from search.backends.whoosh import WhooshSearchResults
    from serving.sessions import SessionStore

    totals, calls = collections.defaultdict(float), collections.Counter()

    def timed(owner, name, label):
        original = getattr(owner, name)

        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                totals[label] += time.perf_counter() - started
                calls[label] += 1

        setattr(owner, name, call)

    parts = [
        (views, "_results", "results (gathering, filters, presenting)"),
        (views, "_gather", "  gathering every source's matches"),
        (WhooshSearchResults, "_hits", "    the Whoosh index asked"),
        (views, "_present", "  presenting the page of results"),
        (views, "_did_you_mean", "  did you mean"),
        (views, "render_to_string", "the results' template"),
        (views, "render", "the page's template"),
        (CursorWrapper, "execute", "SQL (all of it, nested anywhere)"),
        (SessionStore, "load", "the session read"),
        (_PreparedUserLookup, "get_user", "the person read (SQL)"),
        (FileBasedCache, "get", "the shared cache read (nested anywhere)"),
        (FileBasedCache, "get_many", "the shared cache read, many (nested anywhere)"),
        (FileBasedCache, "set", "the shared cache written (nested anywhere)"),
    ]
    for owner, name, label in parts:
        timed(owner, name, label)
    for source in sources_module.get_sources():
        timed(type(source), "candidates", f"    {source.key}: candidates (search, fetch, build)")
        timed(type(source), "present", f"    {source.key}: presented")
    started = time.perf_counter()
    for path in searches:
        _call(site, path, cookie, {})
    elapsed = (time.perf_counter() - started) / len(searches) * 1000
    print(f"{len(searches)} different searches, in process: {elapsed:.2f} ms a search (means)")
    labels = [label for *_, label in parts]
    order = [*labels[:3], *sorted(label for label in totals if label.endswith("(search, fetch, build)"))]
    order += [labels[3], *sorted(label for label in totals if label.endswith(": presented")), *labels[4:]]
    for label in order:
        if label in totals:
            each = totals[label] / len(searches) * 1000
            print(f"  {label:52} {each:6.2f} ms  ({calls[label] / len(searches):.1f} calls)")


if __name__ == "__main__":
    main()
