"""The personal-data scan of extracted text and the warning editors see before publishing."""

import pytest
from django.urls import reverse

from accounts import roles
from documents.models import DocumentStatus
from documents.personal_data import scan


def kinds(text):
    return [(f.kind, f.match) for f in scan(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Her NI number is JK 12 34 56 C.", [("ni_number", "JK 12 34 56 C")]),
        ("NINO: AB123456D", [("ni_number", "AB123456D")]),
        ("DOB: 01/02/1980", [("date_of_birth", "01/02/1980")]),
        ("born on 3 March 1975 in Hove", [("date_of_birth", "3 March 1975")]),
        ("Date of birth - 1975-03-03", [("date_of_birth", "1975-03-03")]),
        ("Call her on 07700 900123.", [("phone", "07700 900123")]),
        ("Ring +44 7700 900123", [("phone", "+44 7700 900123")]),
        ("Tel 01273 470101", [("phone", "01273 470101")]),
        ("E-mail jane.smith@sussex.police.uk", [("email", "jane.smith@sussex.police.uk")]),
        ("or jsmith99@gmail.com", [("email", "jsmith99@gmail.com")]),
        ("lives at 12 High Street, Lewes BN7 2AA", [("postcode", "BN7 2AA")]),
        ("SW1A 1AA and M1 1AE", [("postcode", "SW1A 1AA"), ("postcode", "M1 1AE")]),
    ],
)
def test_personal_data_is_found(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "This Memorandum takes effect on 01/04/2024 and is reviewed on 01/04/2026.",
        "Write to info@sussex.police.uk or data.protection@eastsussex.gov.uk.",
        "The partnership mailbox is asb.team@brighton-hove.gov.uk.",
        "Call 101 in an emergency 999, or 0300 123 1234 for the council.",
        "Section 115 of the Crime and Disorder Act 1998 and Article 6(1)(e).",
        "The BN7 area and the GB team.",
    ],
)
def test_ordinary_mou_wording_is_not_flagged(text):
    assert kinds(text) == []


def test_findings_carry_context_and_paragraph():
    [finding] = scan("1.1 First clause.\n\n1.2 Contact Sam on 07700 900123 about referrals.")
    assert finding.paragraph == 2
    assert "Contact Sam on 07700 900123 about" in finding.context


def test_the_same_match_is_reported_once():
    assert len(scan("07700 900123\n\n07700900123\n\n07700 900123")) == 2


@pytest.mark.django_db
def test_findings_are_saved_on_extraction(make_document):
    document = make_document(status=DocumentStatus.DRAFT, clauses=["1.1 Contact Jane on 07700 900123."])
    assert document.personal_data_findings[0]["kind"] == "phone"
    assert document.personal_data_unchecked


@pytest.mark.django_db
def test_editor_sees_the_warning_and_must_confirm_before_agreeing(make_document, client, make_user):
    editor = make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS)
    document = make_document(status=DocumentStatus.DRAFT, clauses=["1.1 Contact Jane on 07700 900123."])
    client.force_login(editor)
    url = reverse("wagtaildocs:edit", args=[document.pk])
    page = client.get(url).content.decode()
    assert "This file may contain personal data (1 match)" in page
    assert "07700 900123" in page

    data = {"title": document.title, "kind": "mou", "status": "agreed", "collection": document.collection_id}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "may contain personal data (1 match)" in response.content.decode()
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT

    response = client.post(url, {**data, "confirm_personal_data": "on"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.AGREED
    assert document.personal_data_checked_by == editor


@pytest.mark.django_db
def test_members_never_see_the_findings(make_document, library, client, member):
    document = make_document(clauses=["1.1 Contact Jane on 07700 900123."], confirm_personal_data=True)
    client.force_login(member)
    response = client.get(library.document_url(document))
    assert response.status_code == 200
    assert "personal data" not in response.content.decode()
