"""Structural guards: only the viewer knows who is asking, and nothing is stashed beside it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Code that serves pages, documents and search results (demo loaders and benches set up data).
SERVED = [
    *ROOT.joinpath("home").glob("*.py"),
    *ROOT.joinpath("search").glob("*.py"),
    *ROOT.joinpath("documents").glob("*.py"),
    *ROOT.joinpath("schemes").glob("*.py"),
    *ROOT.joinpath("serving").glob("*.py"),
    ROOT / "accounts" / "permissions.py",
]
SETUP = {"demo.py", "bench.py", "samples.py"}


def _sources():
    for path in SERVED:
        if path.name not in SETUP:
            yield path, path.read_text()


def test_nothing_is_stashed_on_the_request_or_the_user():
    assignment = re.compile(r"\b(request|user)\._\w+\s*=|setattr\((request|user),")
    found = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path, text in _sources()
        for line in text.splitlines()
        if assignment.search(line)
    ]
    # Wagtail's own per-request site memo, filled with the cached site in one place.
    assert found == ["serving/sites.py: request._wagtail_site = cached_site_for(request)"]


def test_only_the_viewer_reads_groups_and_restrictions():
    readers = re.compile(
        r"ViewRestriction\.objects|groups\.through|user_permissions\.through|\.groups\.all\(\)|"
        r"accept_request|approval_status|passed_view_restrictions_session_key"
    )
    found = sorted({str(path.relative_to(ROOT)) for path, text in _sources() if readers.search(text)})
    assert found == ["serving/viewer.py"]
