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
        # National Insurance numbers in lower case and with or without spaces.
        ("ni no. ab 12 34 56 c on file", [("ni_number", "ab 12 34 56 c")]),
        ("NINO AB123456C.", [("ni_number", "AB123456C")]),
        ("ref ab123456c", [("ni_number", "ab123456c")]),
        # Phone numbers with hyphens or spaces, national or international.
        ("Phone 01273-123-456 in office hours.", [("phone", "01273-123-456")]),
        ("Phone 01273 123456 in office hours.", [("phone", "01273 123456")]),
        ("From abroad: +44 1273 123456.", [("phone", "+44 1273 123456")]),
        ("Mobile 07700 900123.", [("phone", "07700 900123")]),
        ("Mobile 07700-900-123.", [("phone", "07700-900-123")]),
        ("London office 020 7946 0018", [("phone", "020 7946 0018")]),
        ("Leeds 0113 496 0000", [("phone", "0113 496 0000")]),
        # Postcodes in lower case and without the space.
        ("lives at 1 North Street, bn1 1aa", [("postcode", "bn1 1aa")]),
        ("Postcode BN11AA", [("postcode", "BN11AA")]),
        ("sw1a 1aa", [("postcode", "sw1a 1aa")]),
        # A person's work address, even when the name holds a shared-inbox word.
        ("firstname.lastname@sussex.police.uk", [("email", "firstname.lastname@sussex.police.uk")]),
        ("christopher.smith@sussex.police.uk", [("email", "christopher.smith@sussex.police.uk")]),
        ("sharon.hubbard@brighton-hove.gov.uk", [("email", "sharon.hubbard@brighton-hove.gov.uk")]),
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
        # Version numbers, dates and references.
        "Version 2.1.3, dated 2024-04-01, replaces version 10.2.1 of 01/04/2024.",
        "Reviewed on 2024-04-01 and again by 2026-03-31 (31.03.2026).",
        "Regulation (EU) 2016/679 and the Data Protection Act 2018, Schedule 2 paragraph 2(1).",
        "ISO 27001:2013 and BS 10008-1:2014 apply; see paragraphs 4.2-4.9 and 1.1.1 to 1.12.4.",
        "Case references follow the form 2024-0001234 and claim 01234567890123.",
        # Ordinary clause wording in lower case.
        "1.1 the partners agree to share information about anti-social behaviour cases.",
        "the 1st and 2nd parties, a1 1st para, v2 2nd edition, page 3 of 12.",
        "it is agreed on 3rd may that each partner names a single point of contact.",
        # Shared inboxes.
        "Write to enquiries@eastsussex.gov.uk, data.protection@eastsussex.gov.uk or asb-team@hove.gov.uk.",
        "Switchboard 0300 123 1234; non-emergency 101; emergency 999.",
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
    assert document.extraction.personal_data_findings[0]["kind"] == "phone"
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
    assert document.extraction.personal_data_checked_by == editor


@pytest.mark.django_db
def test_members_never_see_the_findings(make_document, library, client, member):
    document = make_document(clauses=["1.1 Contact Jane on 07700 900123."], confirm_personal_data=True)
    client.force_login(member)
    response = client.get(library.document_url(document))
    assert response.status_code == 200
    assert "personal data" not in response.content.decode()
