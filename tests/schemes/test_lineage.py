"""MoU lineage: a governance document says which other scheme's document it was adapted from;
the original lists who adapted it (as far as the viewer may see), and the comparison view
compares across families, clause by clause."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from documents.models import DocumentStatus, GovernanceDocument
from documents.samples import make_pdf
from documents.services import document_add_version

pytestmark = pytest.mark.django_db

SUSSEX = [
    "# 1. Purpose",
    "1.1 The partners share information about anti-social behaviour cases.",
    "# 2. Retention",
    "2.1 Records are kept for six years after a case is closed.",
]
THAMES = [
    "# 1. Purpose",
    "1.1 The partners share information about anti-social behaviour and restorative justice cases.",
    "# 2. Retention",
    "2.1 Records are kept for six years after a case is closed.",
    "2.2 Restorative justice referrals are kept for two years.",
]


@pytest.fixture
def family(make_scheme, make_document, library, members_collection, django_capture_on_commit_callbacks):
    sussex, thames, manchester = (
        make_scheme("Pan-Sussex"),
        make_scheme("Thames Valley"),
        make_scheme("Greater Manchester"),
    )
    first = make_document("Pan-Sussex MoU", scheme=sussex, version_label="1.0", clauses=SUSSEX)
    with django_capture_on_commit_callbacks(execute=True):
        second = document_add_version(
            previous=first,
            version_label="2.0",
            file=ContentFile(
                make_pdf(SUSSEX + ["2.2 Every account must use two-step verification."]), name="v2.pdf"
            ),
            status=DocumentStatus.AGREED,
            confirm_personal_data=True,
        )
    thames_mou = make_document(
        "Thames Valley MoU", scheme=thames, version_label="3.1", clauses=THAMES, adapted_from=first
    )
    private = make_document(
        "Manchester MoU",
        scheme=manchester,
        version_label="2023",
        adapted_from=first,
        collection=members_collection,
    )
    unrelated = make_document("Unrelated terms of reference", scheme=manchester, version_label="1")
    for document in (first, second, thames_mou, private, unrelated):
        document.refresh_from_db()
    return {
        "first": first,
        "second": second,
        "thames": thames_mou,
        "private": private,
        "unrelated": unrelated,
    }


def page(client, library, document, suffix=""):
    return client.get(f"{library.url}{document.pk}-{document.slug}/{suffix}")


def test_the_original_lists_who_adapted_it_as_far_as_the_viewer_may_see(client, member, library, family):
    html = page(client, library, family["first"]).content.decode()
    assert "Other schemes adapted this document" in html
    assert "Thames Valley MoU" in html and "Manchester MoU" not in html  # members only
    # Any version of the family lists the adaptations of the family.
    assert "Thames Valley MoU" in page(client, library, family["second"]).content.decode()
    client.force_login(member)
    assert "Manchester MoU" in page(client, library, family["first"]).content.decode()


def test_the_adaptation_names_its_original(client, library, family):
    html = page(client, library, family["thames"]).content.decode()
    assert "This document was adapted from:" in html
    assert f'href="{library.url}{family["first"].pk}-pan-sussex-mou/"' in html
    assert f"compare/?a={family['first'].pk}&amp;b={family['thames'].pk}" in html


def test_a_new_version_keeps_what_it_was_adapted_from(family, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        newer = document_add_version(
            previous=family["thames"], version_label="3.2", file=ContentFile(make_pdf(THAMES), name="tv.pdf")
        )
    assert newer.adapted_from == family["first"]


def test_adapted_from_must_be_another_family(family):
    second = family["second"]
    second.adapted_from = family["first"]
    with pytest.raises(ValidationError) as error:
        second.clean()
    assert "adapted_from" in error.value.message_dict


def compare(client, library, document, **query):
    return client.get(f"{library.url}{document.pk}/compare/", query)


def test_compare_across_families_clause_by_clause(client, library, family):
    # Thames Valley 3.1 against Pan-Sussex 2.0: a version of the family it was adapted from.
    response = compare(client, library, family["thames"], a=family["second"].pk, b=family["thames"].pk)
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.changed == 1 and comparison.added == 1
    html = response.content.decode()
    assert "Changes from Pan-Sussex MoU 2.0 to Thames Valley MoU 3.1" in html
    assert "Other schemes’ documents: adapted from it, or it from them" in html
    # From the original's side too.
    response = compare(client, library, family["second"], a=family["second"].pk, b=family["thames"].pk)
    assert response.status_code == 200 and response.context["comparison"].has_changes


def test_the_adaptations_comparison_defaults_to_its_original(client, library, family):
    response = compare(client, library, family["thames"])
    assert response.status_code == 200
    assert (response.context["old"].pk, response.context["new"].pk) == (
        family["first"].pk,
        family["thames"].pk,
    )


def test_no_comparison_with_an_unrelated_or_hidden_document(client, member, library, family):
    response = compare(client, library, family["first"], a=family["first"].pk, b=family["unrelated"].pk)
    assert response.status_code == 400
    assert "Choose two versions of this document, or a document adapted from it" in response.content.decode()
    # Members-only: refused to a visitor exactly as an unrelated one.
    response = compare(client, library, family["first"], a=family["first"].pk, b=family["private"].pk)
    assert response.status_code == 400
    assert "Manchester MoU" not in response.content.decode()
    client.force_login(member)
    response = compare(client, library, family["first"], a=family["first"].pk, b=family["private"].pk)
    assert response.status_code == 200


def test_the_scheme_page_lists_the_adaptations(client, family):
    sussex = family["first"].scheme
    html = client.get(sussex.url).content.decode()
    assert "Adapted by other schemes" in html and "Thames Valley MoU" in html
    assert "Manchester MoU" not in html
    assert GovernanceDocument.objects.filter(adapted_from__scheme=sussex).count() == 2


def test_the_document_page_offers_the_comparison_across_families(client, library, family):
    html = page(client, library, family["second"]).content.decode()
    assert 'for="compare-a">Earlier version or original' in html
    assert f'<option value="{family["thames"].pk}"' in html
    assert f'<option value="{family["first"].pk}" selected>' in html
