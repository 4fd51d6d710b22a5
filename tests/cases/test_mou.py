"""The MoU gate: after every sign-in, before any case URL (htmx included); a newly agreed
version must be accepted again; supervisors list the acceptances."""

import datetime

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from cases.models import AuditEvent, MoUAcceptance
from documents.samples import make_pdf
from documents.services import document_add_version, document_agree


def test_no_case_data_before_the_mou_is_accepted(client, world, sign_in):
    sign_in(client, world.dana, accept=False)
    for url in (reverse("cases:list"), world.case.get_absolute_url(), reverse("cases:subject_access")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("cases:mou"))
    htmx = client.get(world.case.get_absolute_url(), headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith(reverse("cases:mou"))
    assert world.case.title not in htmx.content.decode()


def test_accepting_records_the_exact_version_and_session_and_opens_the_cases(client, world, sign_in):
    sign_in(client, world.dana, accept=False)
    page = client.get(reverse("cases:mou") + "?next=" + world.case.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert world.mou.summary in text and "Your conditions and responsibilities" in text
    assert "no-store" in page["Cache-Control"]
    refused = client.post(reverse("cases:mou"), {"next": world.case.get_absolute_url()})
    assert refused.status_code == 400 and not MoUAcceptance.objects.filter(user=world.dana).exists()
    response = client.post(reverse("cases:mou"), {"accept": "on", "next": world.case.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == world.case.get_absolute_url()
    acceptance = MoUAcceptance.objects.get(user=world.dana)
    assert acceptance.document == world.mou and acceptance.organisation == world.hastings
    assert acceptance.session_key == client.session.session_key
    assert AuditEvent.objects.filter(user=world.dana, action="accept MoU").exists()
    assert client.get(world.case.get_absolute_url()).status_code == 200


def test_next_never_leaves_the_site(client, world, sign_in):
    sign_in(client, world.dana, accept=False)
    response = client.post(reverse("cases:mou"), {"accept": "on", "next": "https://evil.example/"})
    assert response["Location"] == reverse("cases:list")


def test_every_sign_in_asks_again(world, sign_in):
    first = sign_in(Client(), world.dana)
    assert first.get(reverse("cases:list")).status_code == 200
    second = Client()
    second.force_login(world.dana)
    assert second.get(reverse("cases:list")).status_code == 302


def test_a_newly_agreed_version_is_accepted_again_at_the_next_request(client, world, sign_in):
    sign_in(client, world.dana)
    assert client.get(reverse("cases:list")).status_code == 200
    new = document_add_version(
        previous=world.mou,
        version_label="3.0",
        file=ContentFile(make_pdf(["New clauses."]), name="mou3.pdf"),
    )
    document_agree(document=new, effective_date=datetime.date(2026, 4, 1), confirm_personal_data=True)
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("cases:mou"))
    client.post(reverse("cases:mou"), {"accept": "on"})
    assert MoUAcceptance.objects.filter(user=world.dana, document=new).exists()
    assert client.get(reverse("cases:list")).status_code == 200


def test_an_organisation_joins_only_once_the_mou_lists_it(client, world, sign_in):
    client.force_login(world.kim)  # Kent signed no MoU of the scheme
    assert client.get(reverse("cases:mou")).status_code == 404
    world.mou.signatories.add(world.outsider)
    assert client.get(reverse("cases:mou")).status_code == 200


def test_supervisors_list_who_accepted_which_version(client, world, sign_in):
    colleague = Client()
    sign_in(colleague, world.alex)
    sign_in(client, world.alex)
    response = client.get(reverse("cases:acceptances"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Pan-Sussex MoU" in text and "2.0" in text and str(world.alex) in text
    assert str(world.dana) not in text  # another organisation's people
    dana = sign_in(Client(), world.dana)
    assert dana.get(reverse("cases:acceptances")).status_code == 404  # not a supervisor


def test_signing_in_again_in_the_same_session_asks_again(client, world, sign_in):
    sign_in(client, world.dana)
    assert client.get(reverse("cases:list")).status_code == 200
    client.force_login(world.dana)  # the same session: Django keeps its data
    assert client.get(reverse("cases:list")).status_code == 302
