"""The home page: the same shared page for every visitor, a private one for each member."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Collection

from accounts import roles
from documents.models import DocumentStatus, GovernanceDocument
from home.models import HomePage, HomeVisit, StandardPage
from home.selectors import FIRST_VISIT_WINDOW, home_visit_record
from schemes.models import SchemeWorkstreamUse, WorkstreamUse
from tests.factories import restrict_page
from tests.knowledge.factories import SolutionPageFactory, tag

pytestmark = pytest.mark.django_db


def published(page):
    """Factory pages are live without a publishing date: give them one, as publishing does."""
    type(page).objects.filter(pk=page.pk).update(first_published_at=timezone.now())
    return page


def main(response):
    return response.content.decode().split('id="main-content"', 1)[1]


@pytest.fixture
def content(
    index, hate_crime, asb, library, scheme, organisation, make_document, members_collection, members_group
):
    root = Collection.get_first_root_node()
    scheme.partners.add(organisation)
    scheme.save_revision().publish()
    # After publishing: the revision would replace the scheme's workstream uses.
    SchemeWorkstreamUse.objects.create(scheme=scheme, workstream=hate_crime, status=WorkstreamUse.LIVE)
    published(tag(SolutionPageFactory(parent=index, title="Third-party reporting centres"), hate_crime))
    published(tag(SolutionPageFactory(parent=index, title="Community trigger reviews"), asb))
    secret = published(tag(SolutionPageFactory(parent=index, title="Members-only pilot"), hate_crime))
    restrict_page(secret, "login")
    mou = make_document("Pan-Sussex MoU 2.0", scheme=scheme, collection=members_collection)
    make_document("Hate crime ISA", workstreams=[hate_crime], collection=root, kind="isa")
    make_document("Draft protocol", collection=root, status=DocumentStatus.DRAFT, kind="other")
    return {"mou": mou}


def test_visitor_home_shows_tiles_latest_public_content_figures_and_feeds(client, content):
    response = client.get("/")
    assert response.status_code == 200
    body = main(response)
    head = response.content.decode().split("</head>", 1)[0]
    assert 'rel="alternate" type="application/atom+xml"' in head and 'href="/feeds/solutions/"' in head
    assert 'href="/workstreams/hate-crime/"' in body and 'href="/workstreams/anti-social-behaviour/"' in body
    assert "Third-party reporting centres" in body and "Community trigger reviews" in body
    assert "Hate crime ISA" in body
    # Members-only and draft content stays out, and out of the figures.
    assert "Members-only pilot" not in body and "Pan-Sussex MoU" not in body and "Draft protocol" not in body
    figures = dict(response.context["overview"].figures)
    assert figures == {"schemes": 1, "partners": 1, "documents": 1, "solutions": 2}
    assert 'role="search"' in body and 'name="q"' in body
    assert response.context["personal"] is None
    assert "For you" not in body


def test_visitor_home_is_shared_by_the_anonymous_cache(client, content):
    first = client.get("/")
    assert "private" not in first.get("Cache-Control", "")
    second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_member_home_shows_their_scheme_its_mou_and_what_changed(client, content, member):
    client.force_login(member)
    response = client.get("/")
    body = main(response)
    assert "Pan-Sussex" in body
    assert f"/library/{content['mou'].pk}-pan-sussex-mou-20/" in body
    # The first visit compares with the last 30 days: the new solution in their workstream.
    assert "What changed in the last 30 days" in body
    changes = {section.key: section for section in response.context["personal"].changes}
    assert [item.title for item in changes["solutions"].items] == [
        "Members-only pilot",
        "Third-party reporting centres",
    ]  # hate crime is their scheme's workstream; anti-social behaviour is not
    assert "Pan-Sussex MoU 2.0" in [item.title for item in changes["documents"].items]
    # Members see members-only content counted.
    assert dict(response.context["overview"].figures)["solutions"] == 3


def test_member_home_is_private_and_never_in_a_page_cache(client, content, member, make_user):
    client.force_login(member)
    response = client.get("/")
    assert "private" in response["Cache-Control"]
    assert "X-Audience-Cache" not in response
    assert not getattr(HomePage, "cache_per_audience", False)
    # Another member of the same audience gets their own page, with their own scheme.
    other = make_user("other@sussex.police.uk")
    client.force_login(other)
    again = client.get("/")
    assert "X-Audience-Cache" not in again
    for key in getattr(cache, "_cache", {}):
        assert "audience-page" not in str(key)


def test_what_changed_since_the_last_visit(member, content):
    start = timezone.now()
    since, first = home_visit_record(member, start)
    assert first and since == start - FIRST_VISIT_WINDOW
    # Within the hour: same visit, nothing written.
    assert home_visit_record(member, start + datetime.timedelta(minutes=30)) == (since, True)
    assert HomeVisit.objects.get(user=member).seen_at == start
    # A new visit compares with the last one.
    later = start + datetime.timedelta(hours=3)
    assert home_visit_record(member, later) == (start, False)
    assert home_visit_record(member, later + datetime.timedelta(minutes=5)) == (start, False)
    visit = HomeVisit.objects.get(user=member)
    assert (visit.seen_at, visit.previous_seen_at) == (later, start)


def test_changes_since_last_visit_shows_only_what_is_new(client, content, member, index, hate_crime):
    HomeVisit.objects.create(
        user=member,
        seen_at=timezone.now() - datetime.timedelta(hours=2),
        previous_seen_at=timezone.now() - datetime.timedelta(days=1),
    )
    GovernanceDocument.objects.update(updated_at=timezone.now() - datetime.timedelta(days=5))
    from wagtail.models import Page

    Page.objects.update(first_published_at=timezone.now() - datetime.timedelta(days=5))
    published(tag(SolutionPageFactory(parent=index, title="Brand new solution"), hate_crime))
    client.force_login(member)
    response = client.get("/")
    changes = {section.key: section for section in response.context["personal"].changes}
    assert [item.title for item in changes["solutions"].items] == ["Brand new solution"]
    assert changes["documents"].items == []
    assert "since your last visit" in main(response)


def test_editor_sees_reviews_due(client, content, make_user, index):
    SolutionPageFactory(
        parent=index, title="Overdue write-up", last_reviewed=None, next_review=datetime.date(2020, 1, 1)
    )
    editor = make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS)
    client.force_login(editor)
    body = main(client.get("/"))
    assert "Reviews due" in body and "Overdue write-up" in body
    client.force_login(make_user("plain@sussex.police.uk"))
    assert "Reviews due" not in main(client.get("/"))


def test_new_scheme_page_chosen_by_editors(client, content):
    home = HomePage.objects.get()
    start = StandardPage(title="Start a scheme", slug="start-a-scheme", summary="How.")
    home.add_child(instance=start)
    start.save_revision().publish()
    assert "Starting a new scheme?" not in main(client.get("/"))  # none chosen, no pathway page
    home.new_scheme_page = start
    home.save_revision().publish()
    body = main(client.get("/"))
    assert "Starting a new scheme?" in body and 'href="/start-a-scheme/"' in body


def test_markup_in_titles_is_inert(client, content, index, hate_crime):
    tag(SolutionPageFactory(parent=index, title="<script>alert(1)</script>"), hate_crime)
    body = main(client.get("/"))
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body


def _count(client, address="/"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["visitor", "member", "editor"])
def test_constant_queries_small_and_large(
    settings, client, content, make_user, index, hate_crime, asb, who, django_assert_max_num_queries
):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = settings.AUDIENCE_PAGE_CACHE_SECONDS = 0
    if who != "visitor":
        role = roles.NATIONAL_EDITORS if who == "editor" else roles.MEMBERS
        client.force_login(make_user(f"{who}@sussex.police.uk", role=role))
    client.get("/")  # warms the site, the chrome and the overview
    with django_assert_max_num_queries(12):
        small = _count(client)
    for n in range(25):
        tag(SolutionPageFactory(parent=index, title=f"Extra solution {n}"), hate_crime if n % 2 else asb)
    client.get("/")
    with django_assert_max_num_queries(12):
        large = _count(client)
    assert large == small


def test_standard_pages_offer_the_shared_blocks():
    from home.models import ContentBlock
    from knowledge.blocks import BodyBlock, CalloutBlock, ContactBlock, StepListBlock

    blocks = ContentBlock().child_blocks
    assert {"callout", "table", "document", "steps", "contact"} <= set(blocks)
    assert isinstance(blocks["callout"], CalloutBlock) and isinstance(blocks["steps"], StepListBlock)
    assert isinstance(blocks["contact"], ContactBlock)
    assert type(blocks["table"]) is type(BodyBlock().child_blocks["table"])


def test_a_long_absence_shows_what_changed_all_that_time(client, content, member, index, hate_crime):
    """What changed is kept per visibility as the newest items of all, then narrowed to each
    person's own "since": someone back after two months still sees a solution from six weeks ago."""
    from wagtail.models import Page

    HomeVisit.objects.create(
        user=member,
        seen_at=timezone.now() - datetime.timedelta(days=60),
        previous_seen_at=timezone.now() - datetime.timedelta(days=61),
    )
    Page.objects.update(first_published_at=timezone.now() - datetime.timedelta(days=90))
    solution = published(tag(SolutionPageFactory(parent=index, title="Six weeks old"), hate_crime))
    Page.objects.filter(pk=solution.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(days=42)
    )
    published(tag(SolutionPageFactory(parent=index, title="Brand new"), hate_crime))
    client.force_login(member)
    changes = {section.key: section for section in client.get("/").context["personal"].changes}
    assert [item.title for item in changes["solutions"].items] == ["Brand new", "Six weeks old"]


def test_reviews_due_are_for_those_who_publish_not_contributors(client, content, make_user, index):
    SolutionPageFactory(
        parent=index, title="Overdue write-up", last_reviewed=None, next_review=datetime.date(2020, 1, 1)
    )
    client.force_login(make_user("writer@sussex.police.uk", role=roles.CONTRIBUTORS))
    assert "Reviews due" not in main(client.get("/"))


def test_the_kept_personal_part_is_each_persons_own(client, content, member, make_user):
    """The personal part is rendered once and kept, keyed by the person and their last visit:
    a colleague who may see exactly the same things never gets it."""
    colleague = make_user("colleague@brighton-hove.gov.uk")
    colleague.organisation = member.organisation
    colleague.save()
    HomeVisit.objects.create(
        user=colleague,
        seen_at=timezone.now() - datetime.timedelta(minutes=10),
        previous_seen_at=timezone.now() - datetime.timedelta(days=2),
    )
    client.force_login(member)
    assert "What changed in the last 30 days" in main(client.get("/"))
    client.force_login(colleague)
    body = main(client.get("/"))
    assert "since your last visit" in body and "What changed in the last 30 days" not in body
    client.force_login(member)
    assert "What changed in the last 30 days" in main(client.get("/"))
