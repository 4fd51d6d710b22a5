"""Ticking the steps of the onboarding route for a scheme: members of the scheme only, saved per
scheme (who and when), idempotent, and shown on the pathway and on the scheme page."""

import pytest
from django.urls import reverse

from onboarding.models import OnboardingProgress
from serving.version import current_version

pytestmark = pytest.mark.django_db


def tick(client, scheme, step="mou", done="1", **extra):
    return client.post(
        reverse("onboarding:progress_update", args=[scheme.pk]), {"step": step, "done": done, **extra}
    )


def test_a_partner_member_ticks_a_step_and_who_and_when_are_saved(client, pathway, scheme, partner_member):
    client.force_login(partner_member)
    response = tick(client, scheme)
    assert response.status_code == 302
    assert response["Location"] == "/onboarding/#step-mou"
    progress = OnboardingProgress.objects.get()
    assert (progress.scheme, progress.step_key, progress.done_by) == (scheme, "mou", partner_member)
    assert progress.done_at is not None
    html = client.get("/onboarding/").content.decode()
    assert "Step marked as done for Pan-Sussex." in html
    assert "1 of 3 steps done." in html
    assert "by Alex Morgan" in html


def test_the_lead_force_s_members_may_tick_too(client, pathway, scheme, member):
    client.force_login(member)  # Sussex Police, the scheme's lead force
    assert tick(client, scheme, step="partners").status_code == 302
    assert OnboardingProgress.objects.filter(scheme=scheme, step_key="partners").exists()


def test_ticking_twice_changes_nothing(client, pathway, scheme, partner_member, member):
    client.force_login(partner_member)
    tick(client, scheme)
    first = OnboardingProgress.objects.get()
    client.force_login(member)
    tick(client, scheme)
    assert list(OnboardingProgress.objects.values_list("pk", "done_by", "done_at")) == [
        (first.pk, partner_member.pk, first.done_at)
    ]
    assert "That step was already done for Pan-Sussex." in client.get("/onboarding/").content.decode()


def test_unticking_a_step(client, pathway, scheme, partner_member):
    client.force_login(partner_member)
    tick(client, scheme)
    tick(client, scheme, done="0")
    assert not OnboardingProgress.objects.exists()
    tick(client, scheme, done="0")  # again: nothing to undo, no error
    assert "That step was not done for Pan-Sussex." in client.get("/onboarding/").content.decode()


def test_people_outside_the_scheme_are_refused_and_nothing_is_saved(
    client, pathway, scheme, outsider, make_user, partner
):
    client.force_login(outsider)
    response = tick(client, scheme)
    assert response.status_code == 403
    assert "Only approved members of the partner organisations of Pan-Sussex" in response.content.decode()
    pending = make_user("new@brighton-hove.gov.uk", organisation_=partner, approved=False)
    client.force_login(pending)
    assert tick(client, scheme).status_code == 403
    assert not OnboardingProgress.objects.exists()


def test_visitors_are_asked_to_sign_in(client, pathway, scheme):
    response = tick(client, scheme)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not OnboardingProgress.objects.exists()


@pytest.mark.parametrize(
    ("step", "done", "status"),
    [("no-such-step", "1", 404), ("", "1", 404), ("mou", "maybe", 302), ("<script>", "1", 404)],
)
def test_bad_input_changes_nothing(client, pathway, scheme, partner_member, step, done, status):
    client.force_login(partner_member)
    assert tick(client, scheme, step=step, done=done).status_code == status
    assert not OnboardingProgress.objects.exists()


def test_unknown_or_unpublished_schemes_are_404_and_get_is_refused(client, pathway, scheme, partner_member):
    client.force_login(partner_member)
    assert (
        client.post(
            reverse("onboarding:progress_update", args=[999999]), {"step": "mou", "done": "1"}
        ).status_code
        == 404
    )
    assert client.get(reverse("onboarding:progress_update", args=[scheme.pk])).status_code == 405
    scheme.unpublish()
    assert tick(client, scheme).status_code == 404
    assert not OnboardingProgress.objects.exists()


def test_the_form_needs_its_csrf_token(pathway, scheme, partner_member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(partner_member)
    assert tick(client, scheme).status_code == 403
    assert not OnboardingProgress.objects.exists()


def test_only_members_see_the_tick_forms_and_signed_in_pages_are_private(
    client, pathway, scheme, partner_member, outsider
):
    anonymous = client.get("/onboarding/")
    assert "Mark as done" not in anonymous.content.decode()
    assert "private" not in anonymous.get("Cache-Control", "")
    client.force_login(outsider)
    response = client.get("/onboarding/")
    assert "Mark as done" not in response.content.decode()
    assert "private" in response["Cache-Control"]
    client.force_login(partner_member)
    response = client.get("/onboarding/")
    html = response.content.decode()
    assert html.count("Mark as done") == 3 and "csrfmiddlewaretoken" in html
    assert "private" in response["Cache-Control"]
    assert "X-Audience-Cache" not in response


def test_the_scheme_page_shows_its_progress_and_names_only_to_members(
    client, pathway, scheme, partner_member
):
    client.force_login(partner_member)
    tick(client, scheme, step="steering-group")
    html = client.get(scheme.url).content.decode()
    assert "Onboarding progress" in html and "1 of 3 steps of the onboarding route done." in html
    assert "by Alex Morgan" in html
    assert 'href="/onboarding/"' in html
    client.logout()
    html = client.get(scheme.url).content.decode()
    assert "1 of 3 steps of the onboarding route done." in html
    assert "Alex Morgan" not in html


def test_without_a_pathway_the_scheme_page_shows_no_progress(client, scheme):
    assert "Onboarding progress" not in client.get(scheme.url).content.decode()


def test_progress_changes_retire_cached_scheme_pages(
    client, pathway, scheme, partner_member, django_capture_on_commit_callbacks
):
    assert "0 of 3 steps" in client.get(scheme.url).content.decode()
    before = current_version()
    with django_capture_on_commit_callbacks(execute=True):
        OnboardingProgress.objects.create(scheme=scheme, step_key="mou", done_by=partner_member)
    assert current_version() != before
    assert "1 of 3 steps" in client.get(scheme.url).content.decode()
