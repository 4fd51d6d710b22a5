"""SQL queries per page for every role, rendered (no shared copy), on the demo content.

    .venv/bin/python bench/queries.py [--postgres] [--scale 0]

Builds a throw-away database (SQLite in a temporary folder, or a fresh PostgreSQL database
with ``--postgres``), loads the demo content (plus ``seed_bench --scale N`` when asked), then
for each demo person (one per role) and each page type asks for the page twice with both page
caches off: the first request warms the per-process and shared caches that every later request
finds (the site, the chrome, the restriction lists), the second is counted. DESIGN.md section 7
asks for at most 12 queries on every page, for every role. The table is printed and kept in
``bench/results/queries.txt``.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # after the project: bench/documents.py is a script

LIMIT = 12

ROLES = [
    ("anonymous", None),
    ("awaiting approval", "new.starter@sussex.police.uk"),
    ("member", "alex.morgan@brighton-hove.gov.uk"),
    ("contributor", "priya.shah@westsussex.gov.uk"),
    ("national editor", "jo.bennett@sussex-pcc.gov.uk"),
    ("moderator", "sam.okafor@eastsussex.gov.uk"),
    ("supplier staff", "chris.lee@empowering-communities.org"),
    ("case worker", "dana.price@hastings.gov.uk"),
    ("administrator", "admin@sussex.police.uk"),
]


def prepare(args) -> None:
    var = tempfile.mkdtemp(prefix="bpf-bench-queries-")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DEBUG": "false",
            "VAR_DIR": var,
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "ANONYMOUS_PAGE_CACHE_SECONDS": "0",
            "AUDIENCE_PAGE_CACHE_SECONDS": "0",
            "DEMO_PASSWORD": "bench-queries-password-not-secret",
            "LOG_LEVEL": "ERROR",
        }
    )
    if args.postgres:
        from common import fresh_database

        os.environ["DATABASE_URL"] = fresh_database("bpf_bench_queries")
    else:
        os.environ.pop("DATABASE_URL", None)


def pages() -> list[tuple[str, str]]:
    from documents.models import DocumentLibraryPage, GovernanceDocument
    from schemes.models import SchemeIndexPage, SchemePage

    library = DocumentLibraryPage.objects.live().first()
    schemes = SchemeIndexPage.objects.live().first()
    scheme = SchemePage.objects.live().first()
    # A current version with an earlier one, so that the comparison has two versions to show.
    document = GovernanceDocument.objects.filter(status="agreed").exclude(replaces=None).first()
    found = [
        ("home", "/"),
        ("standard page", "/about/"),
        ("members-only page", "/members/"),
        ("scheme index", schemes.url),
        ("scheme index, filtered", f"{schemes.url}?region=south_east&workstream=hate-crime"),
        ("usage matrix (CSV)", f"{schemes.url}matrix-csv/"),
        ("scheme page", scheme.url),
        ("document library", library.url),
        ("library, filtered", f"{library.url}?sort=title&page=1"),
        ("document page", library.document_url(document)),
        ("version comparison", f"{library.url}{document.pk}/compare/"),
        ("site search", "/search/?q=information+sharing"),
        *knowledge_pages(),
        *newer_pages(),
        ("profile", "/accounts/profile/"),
        ("approvals", "/accounts/approvals/"),
    ]
    return found


def newer_pages() -> list[tuple[str, str]]:
    """The onboarding route, the feeds and the forum (private to members: 302 or 404 for others;
    the referrals queue and a referral are supplier staff's only)."""
    from documents.models import DocumentLibraryPage
    from forum.models import Consultation, ForumGroup, Referral, Topic
    from onboarding.models import OnboardingPathwayPage

    pathway = OnboardingPathwayPage.objects.live().first()
    group = ForumGroup.objects.filter(visibility="open").order_by("pk").first()
    topic = Topic.objects.filter(group=group).order_by("pk").first()
    consultation = Consultation.objects.select_related("document").order_by("pk").first()
    referral = Referral.objects.order_by("pk").first()
    library = DocumentLibraryPage.objects.live().first()
    return [
        ("consulted document", library.document_url(consultation.document)),
        ("consultation thread", f"/forum/topics/{consultation.topic_id}/"),
        ("consultation reply", f"/forum/topics/{consultation.topic_id}/reply/?clause=12"),
        ("referral queue", "/forum/referrals/"),
        ("referral", f"/forum/referrals/{referral.pk}/"),
        ("onboarding pathway", pathway.url),
        ("feed of solutions", "/feeds/solutions/"),
        ("forum groups", "/forum/"),
        ("forum group", f"/forum/groups/{group.slug}/"),
        ("forum topic", f"/forum/topics/{topic.pk}/"),
    ]


def knowledge_pages() -> list[tuple[str, str]]:
    from knowledge.models import KnowledgeIndexPage, SolutionPage

    index = KnowledgeIndexPage.objects.live().first()
    solution = SolutionPage.objects.live().order_by("pk").first()
    return [
        ("knowledge index", index.url),
        ("knowledge, filtered", f"{index.url}?workstream=hate-crime&sort=reviewed"),
        ("solution page", solution.url),
        ("workstream hub", "/workstreams/hate-crime/"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="a fresh PostgreSQL database")
    parser.add_argument("--scale", type=int, default=0, help="seed_bench --scale N as well")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "queries.txt"))
    args = parser.parse_args()
    prepare(args)

    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    print("Preparing the database (migrate, load_demo)...", flush=True)
    call_command("migrate", "--noinput", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo", stdout=StringIO())
    if args.scale:
        call_command("seed_bench", "--scale", str(args.scale), stdout=StringIO())

    urls = pages()
    table = {}
    for role, email in ROLES:
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        for name, url in urls:
            client.get(url)  # warms the shared and per-process caches
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            table[role, name] = (len(queries), response.status_code)

    engine = connection.vendor
    lines = [
        f"Queries per page, rendered for each role (page caches off), {engine}, demo content"
        + (f" + seed_bench --scale {args.scale}" if args.scale else ""),
        f"second request counted (the first warms the caches); limit {LIMIT}; status in brackets when not 200",
        "",
        f"{'page':22}" + "".join(f"{role[:12]:>13}" for role, _ in ROLES),
    ]
    over = []
    for name, _ in urls:
        cells = []
        for role, _ in ROLES:
            count, status = table[role, name]
            cells.append(f"{count}" + (f" ({status})" if status != 200 else ""))
            if count > LIMIT:
                over.append(f"{name} for {role}: {count}")
        lines.append(f"{name:22}" + "".join(f"{cell:>13}" for cell in cells))
    lines += ["", f"most queries on any page: {max(count for count, _ in table.values())}"]
    lines += [f"over the limit: {item}" for item in over] or ["every page within the limit for every role"]
    report = "\n".join(lines)
    print("\n" + report)
    Path(args.output).write_text(report + "\n")
    if args.postgres:
        connection.close()


if __name__ == "__main__":
    main()
