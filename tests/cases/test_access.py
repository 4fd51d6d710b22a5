"""The one access rule: owner and the organisations a case is shared with; 404 (recorded) for
everyone else on every case URL; nothing of a case page kept by any cache."""

import pickle

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, reverse

from cases import urls as case_urls
from cases.models import AuditEvent, Case, CaseShare, Note, ShareLevel, Subject


def case_urls_for(world):
    """Every URL of one case, with the method that uses it."""
    ref = world.case.reference
    share = CaseShare.objects.filter(case=world.case).first()
    return [
        ("get", reverse("cases:detail", args=[ref])),
        ("post", reverse("cases:update", args=[ref])),
        ("get", reverse("cases:edit", args=[ref])),
        ("post", reverse("cases:edit", args=[ref])),
        ("get", reverse("cases:subject_edit", args=[ref, world.subject.pk])),
        ("post", reverse("cases:subject_edit", args=[ref, world.subject.pk])),
        ("get", reverse("cases:share_withdraw", args=[ref, share.pk])),
        ("post", reverse("cases:share_withdraw", args=[ref, share.pk])),
        ("get", reverse("cases:note_add", args=[ref])),
        ("post", reverse("cases:note_add", args=[ref])),
        ("get", reverse("cases:subject_add", args=[ref])),
        ("get", reverse("cases:action_add", args=[ref])),
        ("post", reverse("cases:action_status", args=[ref, world.action.pk])),
        ("get", reverse("cases:attachment_add", args=[ref])),
        ("get", reverse("cases:attachment", args=[ref, world.attachment.pk])),
        ("get", reverse("cases:share", args=[ref])),
        ("post", reverse("cases:share", args=[ref])),
        ("get", reverse("cases:audit", args=[ref])),
    ]


def test_every_case_url_goes_through_case_view():
    for pattern in case_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        assert getattr(pattern.callback, "case_view", False), pattern.name


def test_an_organisation_without_access_gets_404_everywhere_and_each_attempt_is_recorded(
    client, world, sign_in
):
    sign_in(client, world.lee)
    for method, url in case_urls_for(world):
        before = AuditEvent.objects.filter(action="refused", user=world.lee).count()
        response = getattr(client, method)(url, {"body": "x", "reason": "y" * 20, "status": "done"})
        assert response.status_code == 404, url
        assert world.case.title not in response.content.decode()
        assert AuditEvent.objects.filter(action="refused", user=world.lee).count() == before + 1, url
        htmx = getattr(client, method)(url, headers={"HX-Request": "true"})
        assert htmx.status_code == 404 and world.case.title not in htmx.content.decode(), url
    # The list and the subject access export show nothing of the case either.
    listing = client.get(reverse("cases:list"))
    assert listing.status_code == 200
    assert world.case.reference not in listing.content.decode()
    export = client.post(
        reverse("cases:subject_access"),
        {"name": world.subject.full_name, "justification": "SAR-1", "format": "json"},
    )
    assert export.json()["records"] == []
    assert Note.objects.filter(case=world.case).count() == 1
    assert not CaseShare.objects.filter(organisation=world.lewes).exists()
    assert CaseShare.objects.filter(organisation=world.hastings).exists()


def test_without_the_current_mou_accepted_every_case_url_leads_to_acceptance(client, world, sign_in):
    sign_in(client, world.dana, accept=False)
    for method, url in case_urls_for(world):
        response = getattr(client, method)(url, {"reason": "y" * 20, "full_name": "Z", "title": "Z"})
        assert response.status_code == 302 and response["Location"].startswith(reverse("cases:mou")), url
        htmx = getattr(client, method)(url, headers={"HX-Request": "true"})
        assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith(reverse("cases:mou")), url
    assert CaseShare.objects.filter(organisation=world.hastings).exists()
    assert Subject.objects.get(pk=world.subject.pk).full_name == world.subject.full_name


@pytest.mark.parametrize("who", ["member", "kim"])
def test_people_who_are_not_case_workers_of_a_scheme_get_404_on_every_url(client, world, who):
    client.force_login(getattr(world, who))
    urls = [
        ("get", reverse("cases:list")),
        ("get", reverse("cases:mou")),
        ("get", reverse("cases:subject_access")),
    ]
    urls += [("get", reverse("cases:new")), ("get", reverse("cases:acceptances"))]
    for method, url in urls + case_urls_for(world):
        assert getattr(client, method)(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for _method, url in case_urls_for(world)[:1] + [("get", reverse("cases:list"))]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_owner_and_shared_organisation_see_the_case(client, world, sign_in):
    url = world.case.get_absolute_url()
    for user in (world.alex, world.dana):
        other = sign_in(Client(), user)
        response = other.get(url)
        assert response.status_code == 200
        assert world.subject.full_name in response.content.decode()
    assert AuditEvent.objects.filter(action="view", case_reference=world.case.reference).count() == 2


def test_a_read_only_share_reads_and_changes_nothing(client, world, sign_in):
    CaseShare.objects.filter(case=world.case, organisation=world.hastings).update(level=ShareLevel.READ)
    sign_in(client, world.dana)
    reading = {
        reverse("cases:detail", args=[world.case.reference]),
        reverse("cases:attachment", args=[world.case.reference, world.attachment.pk]),
    }
    data = {"body": "Should not land", "reason": "y" * 20, "status": "closed", "full_name": "Z", "title": "Z"}
    for method, url in case_urls_for(world):
        expected = 200 if url in reading else 404
        assert getattr(client, method)(url, data).status_code == expected, (method, url)
        htmx = getattr(client, method)(url, data, headers={"HX-Request": "true"})
        assert htmx.status_code == expected, (method, url)
    assert not Note.objects.filter(body="Should not land").exists()
    assert CaseShare.objects.filter(organisation=world.hastings).exists()
    case = Case.objects.get(pk=world.case.pk)
    assert case.status == "open" and case.title == world.case.title
    assert Subject.objects.get(pk=world.subject.pk).full_name == world.subject.full_name


def test_case_pages_are_private_and_never_stored_by_a_cache(client, world, sign_in):
    sign_in(client, world.alex)
    for url in (world.case.get_absolute_url(), reverse("cases:list")):
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200
            cache_control = response["Cache-Control"]
            assert "private" in cache_control and "no-store" in cache_control
    entries = [e if isinstance(e, bytes) else pickle.dumps(e) for e in cache._cache.values()]
    assert not any(world.case.reference.encode() in entry for entry in entries)
    assert not any(world.subject.full_name.encode() in entry for entry in entries)


def test_form_fields_for_owner_or_author_are_ignored(client, world, sign_in):
    sign_in(client, world.alex)
    response = client.post(
        reverse("cases:new"),
        {
            "title": "Fly-tipping behind the shops",
            "workstream": world.workstream.pk,
            "scheme": world.scheme.pk,
            "risk_level": "low",
            "owner": world.hastings.pk,
            "owner_id": world.hastings.pk,
            "lead_officer": world.dana.pk,
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(title="Fly-tipping behind the shops")
    assert case.owner == world.police and case.lead_officer == world.alex
    assert case.reference.startswith("ASB-")
    client.post(
        reverse("cases:note_add", args=[case.reference]),
        {"body": "Seen by a patrol.", "author": world.dana.pk, "organisation": world.hastings.pk},
    )
    note = Note.objects.get(body="Seen by a patrol.")
    assert note.author == world.alex and note.organisation == world.police


def test_a_person_deactivated_mid_session_loses_access_at_the_next_request(client, world, sign_in):
    sign_in(client, world.dana)
    assert client.get(world.case.get_absolute_url()).status_code == 200
    world.dana.is_active = False
    world.dana.save(update_fields=["is_active"])
    for method, url in case_urls_for(world):
        response = getattr(client, method)(url, {"reason": "y" * 20, "full_name": "Z"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert CaseShare.objects.filter(organisation=world.hastings).exists()


def test_a_forged_post_without_the_csrf_token_is_refused(world, sign_in):
    client = sign_in(Client(enforce_csrf_checks=True), world.alex)
    response = client.post(reverse("cases:note_add", args=[world.case.reference]), {"body": "Forged"})
    assert response.status_code == 403
    assert not Note.objects.filter(body="Forged").exists()


def test_sharing_needs_a_reason_and_an_organisation_that_signed_the_mou(
    client, world, sign_in, mailoutbox, django_capture_on_commit_callbacks
):
    sign_in(client, world.alex)
    url = reverse("cases:share", args=[world.case.reference])
    response = client.post(url, {"organisation": world.lewes.pk, "level": "read", "reason": ""})
    assert response.status_code == 400
    response = client.post(
        url, {"organisation": world.outsider.pk, "level": "read", "reason": "A good reason here"}
    )
    assert response.status_code == 400
    assert not CaseShare.objects.filter(organisation__in=[world.lewes, world.outsider]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"organisation": world.lewes.pk, "level": "read", "reason": "Noise team in Lewes"}
        )
    assert response.status_code == 302
    share = CaseShare.objects.get(organisation=world.lewes)
    assert share.shared_by == world.alex and share.reason == "Noise team in Lewes"
    event = AuditEvent.objects.get(action="share", object_id=str(share.pk))
    assert event.justification == "Noise team in Lewes" and event.organisation == world.police
    # The e-mail says only that something changed, with a link.
    (message,) = [m for m in mailoutbox if world.lee.email in m.to]
    assert world.case.get_absolute_url() in message.body
    for secret in (world.case.title, world.subject.full_name, "Noise team"):
        assert secret not in message.body and secret not in message.subject
    # Now Lewes sees it.
    other = sign_in(Client(), world.lee)
    assert other.get(world.case.get_absolute_url()).status_code == 200


def test_the_lead_officer_hears_that_another_organisation_added_to_their_case(
    client, world, sign_in, mailoutbox, django_capture_on_commit_callbacks
):
    sign_in(client, world.dana)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cases:note_add", args=[world.case.reference]), {"body": "Neighbour moved out."})
    (message,) = mailoutbox
    assert message.to == [world.alex.email]
    assert world.case.get_absolute_url() in message.body and "Neighbour" not in message.body


def test_only_supervisors_of_the_owning_organisation_read_a_case_audit_log(client, world, sign_in, make_user):
    from accounts import roles

    colleague = make_user("colleague@sussex.police.uk", role=roles.CASE_WORKERS)
    url = reverse("cases:audit", args=[world.case.reference])
    assert sign_in(Client(), colleague).get(url).status_code == 404  # a case worker, not a supervisor
    response = sign_in(client, world.alex).get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tenancy enforcement by the council." in text and "share" in text
    assert "no-store" in response["Cache-Control"]


def test_an_organisation_dropped_from_the_case_schemes_mou_stops_seeing_its_shared_cases(
    client, world, sign_in
):
    """Hastings also signed another scheme's MoU, so it still takes part in case sharing;
    but no longer in Pan-Sussex, so the Pan-Sussex case shared with it is gone."""
    import datetime

    from django.core.files.base import ContentFile

    from cases.mou import remember_accepted
    from documents.models import DocumentKind, DocumentStatus
    from documents.samples import make_pdf
    from documents.services import document_create
    from tests.factories import SchemePageFactory

    other_scheme = SchemePageFactory(title="East Sussex", lead_force=world.police)
    other_mou = document_create(
        title="East Sussex MoU",
        file=ContentFile(make_pdf(["Another scheme."]), name="mou-east.pdf"),
        kind=DocumentKind.MOU,
        status=DocumentStatus.AGREED,
        organisation=world.police,
        scheme=other_scheme,
        signatories=[world.police, world.hastings],
        version_label="1.0",
        effective_date=datetime.date(2025, 1, 1),
    )
    world.mou.signatories.remove(world.hastings)

    def accept_both(client, user):
        sign_in(client, user)
        session = client.session
        remember_accepted(session, [other_mou.pk])
        session.save()
        return client

    accept_both(client, world.dana)
    assert client.get(reverse("cases:list")).status_code == 200
    assert world.case.reference not in client.get(reverse("cases:list")).content.decode()
    for method, url in case_urls_for(world):
        assert getattr(client, method)(url).status_code == 404, url
    export = client.post(
        reverse("cases:subject_access"),
        {"name": world.subject.full_name, "justification": "SAR-2", "format": "json"},
    )
    assert export.json()["records"] == []
    # The owner keeps its own case.
    assert accept_both(Client(), world.alex).get(world.case.get_absolute_url()).status_code == 200


def test_case_e_mails_are_ours_one_each_and_say_why(
    client, world, sign_in, mailoutbox, django_capture_on_commit_callbacks, settings
):
    from cases.notifications import notify_change

    with django_capture_on_commit_callbacks(execute=True):
        notify_change(world.case, changed_by_organisation_id=world.lewes.pk)  # its lead officer
        notify_change(world.case, assigned=True, user_ids=[world.alex.pk, world.lee.pk])
    assert len(mailoutbox) == 3 and all(len(message.to) == 1 for message in mailoutbox)
    for message in mailoutbox:
        html = message.alternatives[0][0]
        assert settings.WAGTAIL_SITE_NAME in message.body and "You got this e-mail because" in message.body
        assert world.case.get_absolute_url() in message.body and world.case.get_absolute_url() in html
        assert world.case.title not in message.body + message.subject + html
    assert {m.subject for m in mailoutbox} == {
        "A case you work on has changed",
        "You are now the lead officer of a case",
    }
