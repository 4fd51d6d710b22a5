"""The demo knowledge: every evidence and outcome value, realistic pages that render, and
safe to run twice (through load_demo and on its own)."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page

from knowledge.demo import load_demo_knowledge
from knowledge.models import EvidenceStrength, GuidePage, KnowledgeIndexPage, Outcome, SolutionPage

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(Page.objects.values_list("url_path", "live", "latest_revision_id"))


def test_demo_knowledge_is_complete_renders_and_is_safe_to_run_twice(client):
    call_command("load_demo", stdout=io.StringIO())
    index = KnowledgeIndexPage.objects.get()
    assert index.live and index.url == "/knowledge/"
    solutions = SolutionPage.objects.live()
    assert solutions.count() >= 12
    assert GuidePage.objects.live().count() >= 2
    assert set(solutions.values_list("evidence_strength", flat=True)) == set(EvidenceStrength.values)
    assert set(solutions.values_list("outcome", flat=True)) == set(Outcome.values)
    workstreams = {w.slug for s in solutions for w in s.workstreams.all()}
    assert len(workstreams) >= 8
    restorative = SolutionPage.objects.get(slug="restorative-justice-faster-information-sharing")
    assert [s.slug for s in restorative.contributing_schemes.all()] == ["pan-sussex"]
    assert restorative.related_documents.count() == 1
    assert all(s.contributing_schemes.exists() for s in solutions)
    assert SolutionPage.objects.filter(content_owner__isnull=False).exists()
    assert SolutionPage.objects.filter(next_review__isnull=True).exists()
    # A national editor turned the forum's resolved community trigger question into a draft.
    draft = SolutionPage.objects.get(source_key__startswith="forum.topic:")
    assert not draft.live and draft.title == "Community trigger reviews: who chairs yours?"
    assert draft.source_note == "From a discussion in the National best-practice group"

    assert client.get("/knowledge/").status_code == 200
    for page in list(solutions) + list(GuidePage.objects.all()):
        assert client.get(page.url).status_code == 200, page.url
    hub = client.get("/workstreams/restorative-justice/").content.decode()
    assert "Restorative justice referrals shared in days, not weeks" in hub
    assert "Thames Valley" in hub  # runs restorative justice live in the schemes demo

    before = snapshot()
    output = io.StringIO()
    load_demo_knowledge(stdout=output)
    assert snapshot() == before
    assert "0 created" in output.getvalue()
