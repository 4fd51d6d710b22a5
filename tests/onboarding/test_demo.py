"""The demo onboarding route: seven steps with real guidance and exemplars, Pan-Sussex's
progress, one pending request; it renders, and is safe to run twice."""

import io

import pytest
from django.core.management import call_command

from onboarding.demo import load_demo_onboarding
from onboarding.models import OnboardingPathwayPage, OnboardingProgress, RequestStatus, StartSchemeRequest

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(OnboardingPathwayPage.objects.values_list("pk", "latest_revision_id")),
        sorted(OnboardingProgress.objects.values_list("scheme__slug", "step_key", "done_at")),
        list(StartSchemeRequest.objects.values_list("pk", "status")),
    )


def test_demo_onboarding_is_complete_renders_and_is_safe_to_run_twice(client):
    call_command("load_demo", stdout=io.StringIO())
    pathway = OnboardingPathwayPage.objects.get()
    assert pathway.live and pathway.url == "/onboarding/" and pathway.show_in_menus
    steps = list(pathway.steps.all())
    assert [s.key for s in steps] == [
        "steering-group",
        "mou",
        "partners",
        "users-group",
        "training",
        "first-workstream",
        "expand",
    ]
    assert all(s.guidance and s.checklist_items and len(s.links) for s in steps)
    kinds = {block.block_type for s in steps for block in s.links}
    assert kinds == {"scheme", "document", "solution"}
    progress = OnboardingProgress.objects.filter(scheme__slug="pan-sussex")
    assert progress.count() == 6 and all(p.done_by for p in progress)
    assert StartSchemeRequest.objects.get().status == RequestStatus.PENDING

    html = client.get("/onboarding/").content.decode()
    assert "Form a steering group with a senior chair" in html
    assert "Running a local users&#x27; group" in html  # a guide from the knowledge demo
    assert 'href="/schemes/pan-sussex/"' in html
    assert "Pan-Sussex Memorandum of Understanding" not in html  # members only
    assert "Starting a scheme" in client.get("/").content.decode()  # in the main navigation
    scheme = client.get("/schemes/pan-sussex/").content.decode()
    assert "6 of 7 steps of the onboarding route done." in scheme

    before = snapshot()
    output = io.StringIO()
    load_demo_onboarding(stdout=output)
    assert snapshot() == before
    assert "already there, 0 steps ticked, 0 request created" in output.getvalue()
