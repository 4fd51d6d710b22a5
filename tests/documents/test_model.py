"""The document model, version families and the rules of agreeing a version."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from documents.models import DocumentKind, DocumentStatus, DocumentWorkstream, GovernanceDocument
from documents.samples import make_pdf
from documents.services import (
    PersonalDataNotChecked,
    document_add_version,
    document_agree,
    document_link_version,
    document_set_status,
)

from .conftest import CLAUSES_V2

pytestmark = pytest.mark.django_db


def test_governance_document_is_the_wagtail_document_model():
    assert get_document_model() is GovernanceDocument


def test_roles_can_add_and_edit_documents_as_wagtail_checks_them(make_user):
    """accounts/migrations/0002_roles.py grants collection permissions that Wagtail's document
    permission policy (checked against wagtaildocs.Document) accepts."""
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    from accounts import roles

    permission_policy = policy_registry.get_by_type(get_document_model())

    contributor = make_user("writer@sussex.police.uk", role=roles.CONTRIBUTORS)
    editor = make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS)
    member = make_user("member@sussex.police.uk")
    assert permission_policy.user_has_permission(contributor, "add")
    assert permission_policy.user_has_permission(contributor, "change")
    assert permission_policy.user_has_permission(editor, "delete")
    assert not permission_policy.user_has_permission(member, "add")


def test_document_keeps_its_metadata(make_document, scheme, workstream, other_organisation):
    document = make_document(
        scheme=scheme,
        workstreams=[workstream],
        signatories=[other_organisation],
        version_label="1.0",
        review_date=datetime.date(2027, 1, 1),
    )
    assert document.kind == DocumentKind.MOU
    assert document.region == scheme.region  # filled from the scheme
    assert document.effective_year == 2024
    assert list(document.workstreams.all()) == [workstream]
    assert DocumentWorkstream.objects.filter(content_object=document, tag=workstream).exists()
    assert list(document.signatories.all()) == [other_organisation]
    assert document.slug == "pan-sussex-mou"
    assert document.file.name.startswith("documents/")


def test_region_falls_back_to_the_owning_organisation(make_document, other_organisation):
    assert make_document(organisation=other_organisation).region == other_organisation.region


def test_new_version_joins_the_family_and_inherits_metadata(make_document, workstream, scheme):
    first = make_document(workstreams=[workstream], scheme=scheme, version_label="1")
    second = document_add_version(
        previous=first, file=ContentFile(make_pdf(CLAUSES_V2), name="v2.pdf"), version_label="2"
    )
    assert second.family == first.family
    assert second.replaces == first
    assert second.status == DocumentStatus.DRAFT
    assert list(second.workstreams.all()) == [workstream]
    assert second.scheme == scheme
    first.refresh_from_db()
    assert first.status == DocumentStatus.AGREED  # a draft supersedes nothing


def test_agreeing_a_version_supersedes_the_one_it_replaces(make_document):
    first = make_document(version_label="1")
    second = document_add_version(
        previous=first,
        file=ContentFile(make_pdf(CLAUSES_V2), name="v2.pdf"),
        version_label="2",
        status=DocumentStatus.IN_CONSULTATION,
    )
    first.refresh_from_db()
    assert first.status == DocumentStatus.AGREED  # consultation does not supersede
    superseded = document_agree(document=second)
    first.refresh_from_db()
    assert superseded == [first]
    assert first.status == DocumentStatus.SUPERSEDED
    assert second.status == DocumentStatus.AGREED
    assert second.effective_date is not None


def test_agreeing_supersedes_every_earlier_current_version(make_document):
    first = make_document(version_label="1")
    second = document_add_version(
        previous=first, file=ContentFile(make_pdf(CLAUSES_V2), name="v2.pdf"), version_label="2"
    )
    third = document_add_version(
        previous=second, file=ContentFile(make_pdf(CLAUSES_V2), name="v3.pdf"), version_label="3"
    )
    document_agree(document=third)
    assert set(
        GovernanceDocument.objects.filter(family=first.family).values_list("version_label", "status")
    ) == {
        ("1", DocumentStatus.SUPERSEDED),
        ("2", DocumentStatus.SUPERSEDED),
        ("3", DocumentStatus.AGREED),
    }


def test_saving_agreed_status_directly_does_not_supersede(make_document):
    """The rule lives in the service, not in save(): a plain save changes one row only."""
    first = make_document(version_label="1")
    second = document_add_version(
        previous=first, file=ContentFile(make_pdf(CLAUSES_V2), name="v2.pdf"), version_label="2"
    )
    second.status = DocumentStatus.AGREED
    second.save()
    first.refresh_from_db()
    assert first.status == DocumentStatus.AGREED


def test_a_version_cannot_be_replaced_twice(make_document):
    first = make_document(version_label="1")
    document_add_version(
        previous=first, file=ContentFile(make_pdf(CLAUSES_V2), name="v2.pdf"), version_label="2"
    )
    rival = make_document(title="Another")
    with pytest.raises(ValidationError) as error:
        document_link_version(document=rival, replaces=first)
    assert "already been replaced" in str(error.value)


def test_a_version_cannot_replace_itself_or_a_later_version(make_document):
    first = make_document(version_label="1")
    second = document_add_version(
        previous=first, file=ContentFile(make_pdf(CLAUSES_V2), name="v2.pdf"), version_label="2"
    )
    with pytest.raises(ValidationError):
        document_link_version(document=first, replaces=first)
    with pytest.raises(ValidationError):
        document_link_version(document=first, replaces=second)


def test_publishing_with_unchecked_personal_data_is_refused(make_document, member):
    document = make_document(
        status=DocumentStatus.DRAFT, clauses=["1.1 Contact Jane on 07700 900123 about the case."]
    )
    assert document.personal_data_unchecked
    with pytest.raises(PersonalDataNotChecked):
        document_set_status(document=document, status=DocumentStatus.AGREED, user=member)
    document_set_status(
        document=document, status=DocumentStatus.AGREED, user=member, confirm_personal_data=True
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.AGREED
    assert document.extraction.personal_data_checked_by == member


def test_existing_documents_get_a_family_each(make_document):
    first, second = make_document(title="A"), make_document(title="B")
    assert first.family != second.family
