"""The document workbench in the Wagtail admin: a new version in one form, the list's columns
and filters, who can see a document, and deletions that never lose the current version."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import roles
from documents.models import DocumentStatus, GovernanceDocument
from documents.samples import make_docx, make_pdf

from .conftest import CLAUSES_V2

pytestmark = pytest.mark.django_db

# Measured (list: 24 on a cold first request, 17 after, at 10 and at 60 documents alike; the
# form 10; uploading 67, the new version's rows, relations, tags and superseding, its references
# indexed once rather than after each of its three saves: 79 before), with room.
QUERIES_LIST = 25
QUERIES_NEW_VERSION_FORM = 12
QUERIES_NEW_VERSION = 68


@pytest.fixture
def editor_client(client, make_user):
    client.force_login(make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS))
    return client


@pytest.fixture
def mou(make_document, scheme, workstream, other_organisation, members_collection):
    document = make_document(
        "Pan-Sussex MoU",
        scheme=scheme,
        version_label="1",
        workstreams=[workstream],
        signatories=[other_organisation],
        collection=members_collection,
    )
    return document


def new_version(client, document, *, name="mou-v2.pdf", content=None, **data):
    fields = {
        "version_label": "2",
        "status": "agreed",
        "change_note": "Retention cut to three years.",
        **data,
    }
    fields["file"] = SimpleUploadedFile(name, content if content is not None else make_pdf(CLAUSES_V2))
    return client.post(reverse("documents_admin:new_version", args=[document.pk]), fields)


def test_new_version_joins_the_family_and_becomes_current(
    editor_client, mou, django_capture_on_commit_callbacks
):
    page = editor_client.get(reverse("wagtaildocs:edit", args=[mou.pk]))
    assert "Upload a new version" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = new_version(editor_client, mou)
    new = GovernanceDocument.objects.exclude(pk=mou.pk).get()
    assert response.status_code == 302 and response.url == reverse("wagtaildocs:edit", args=[new.pk])
    assert (new.family, new.replaces_id, new.status, new.version_label) == (mou.family, mou.pk, "agreed", "2")
    assert new.change_note == "Retention cut to three years."
    for field in ("title", "kind", "scheme_id", "organisation_id", "collection_id"):
        assert getattr(new, field) == getattr(mou, field)
    assert list(new.workstreams.all()) == list(mou.workstreams.all())
    assert list(new.signatories.all()) == list(mou.signatories.all())
    mou.refresh_from_db()
    assert mou.status == DocumentStatus.SUPERSEDED


def test_new_version_of_another_file_type_is_refused(editor_client, mou, media_files):
    before = media_files()
    response = new_version(editor_client, mou, name="mou-v2.docx", content=make_docx(CLAUSES_V2))
    assert response.status_code == 200
    assert "must be the same type of file as the current one (PDF), not DOCX" in response.content.decode()
    assert GovernanceDocument.objects.count() == 1 and media_files() == before


def test_new_version_to_a_family_the_editor_may_not_edit_is_refused(client, make_user, mou):
    outsider = make_user("reader@sussex.police.uk", role=None)
    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    response = new_version(client, mou)
    assert response.status_code == 302
    assert GovernanceDocument.objects.count() == 1
    page = client.get(response.url, follow=True)
    assert "You cannot add versions to “Pan-Sussex MoU”" in page.content.decode()


def test_agreeing_an_old_version_beside_an_agreed_later_one_is_refused(
    editor_client, mou, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new_version(editor_client, mou)
    data = {
        "title": mou.title,
        "collection": mou.collection_id,
        "kind": mou.kind,
        "status": "agreed",
        "version_label": "1",
    }
    response = editor_client.post(reverse("wagtaildocs:edit", args=[mou.pk]), data)
    assert response.status_code == 200
    assert "Version 2 is already the agreed version of this document" in response.content.decode()
    mou.refresh_from_db()
    assert mou.status == DocumentStatus.SUPERSEDED


def test_deleting_the_only_or_the_current_version_is_refused(
    editor_client, mou, django_capture_on_commit_callbacks
):
    response = editor_client.post(reverse("wagtaildocs:delete", args=[mou.pk]), follow=True)
    assert "“Pan-Sussex MoU” would have no version left, so it cannot be deleted" in response.content.decode()
    assert GovernanceDocument.objects.filter(pk=mou.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        new_version(editor_client, mou)
    current = GovernanceDocument.objects.exclude(pk=mou.pk).get()
    response = editor_client.post(reverse("wagtaildocs:delete", args=[current.pk]), follow=True)
    assert "Version 2 is the current version of “Pan-Sussex MoU”" in response.content.decode()
    assert GovernanceDocument.objects.count() == 2
    editor_client.post(reverse("wagtaildocs:delete", args=[mou.pk]))
    assert list(GovernanceDocument.objects.all()) == [current]


def test_bulk_and_uploader_deletes_follow_the_same_rule(
    editor_client, mou, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new_version(editor_client, mou)
    current = GovernanceDocument.objects.exclude(pk=mou.pk).get()
    bulk = reverse("wagtail_bulk_action", args=["documents", "governancedocument", "delete"])
    # Both versions together would leave nothing; the current one alone is still current.
    for ids, refusal in (
        ([mou.pk, current.pk], "“Pan-Sussex MoU” would have no version left"),
        ([current.pk], "Version 2 is the current version of “Pan-Sussex MoU”"),
    ):
        response = editor_client.post(f"{bulk}?{'&'.join(f'id={pk}' for pk in ids)}", follow=True)
        content = response.content.decode()
        assert "Nothing was deleted." in content and refusal in content
        assert GovernanceDocument.objects.count() == 2
    response = editor_client.post(reverse("wagtaildocs:delete_multiple", args=[current.pk]))
    assert response.json()["success"] is False and "current version" in response.json()["error_message"]
    editor_client.post(f"{bulk}?id={mou.pk}")
    assert list(GovernanceDocument.objects.all()) == [current]


def test_withdrawing_the_current_version_asks_which_becomes_current(
    editor_client, mou, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new_version(editor_client, mou)
    current = GovernanceDocument.objects.exclude(pk=mou.pk).get()
    data = {
        "title": current.title,
        "collection": current.collection_id,
        "kind": current.kind,
        "version_label": "2",
        "status": "withdrawn",
    }
    url = reverse("wagtaildocs:edit", args=[current.pk])
    assert "which version becomes current?" in editor_client.get(url).content.decode()
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert (
        "This is the current version. Choose which version becomes current instead"
        in response.content.decode()
    )
    current.refresh_from_db()
    assert current.status == DocumentStatus.AGREED
    editor_client.post(url, {**data, "becomes_current": str(mou.pk)})
    current.refresh_from_db()
    mou.refresh_from_db()
    assert (current.status, mou.status) == (DocumentStatus.WITHDRAWN, DocumentStatus.AGREED)
    # The only version may be withdrawn without a question: that is what withdrawing means.
    lone = GovernanceDocument.objects.create(title="Lone", file=mou.file.name, status=DocumentStatus.AGREED)
    assert (
        "becomes_current"
        not in editor_client.get(reverse("wagtaildocs:edit", args=[lone.pk])).content.decode()
    )


def test_list_and_form_say_version_status_kind_scheme_and_who_can_see_it(editor_client, mou, make_document):
    make_document("National template", status=DocumentStatus.DRAFT, version_label="0.1")
    listing = editor_client.get(reverse("wagtaildocs:index")).content.decode()
    for text in (
        "Who can see it",
        "Version",
        "Pan-Sussex",
        "Members",
        "Memorandum of understanding",
        "Agreed",
    ):
        assert text in listing
    assert "Editors (draft); then Public" in listing
    filtered = editor_client.get(reverse("wagtaildocs:index"), {"status": "draft"}).content.decode()
    assert "National template" in filtered and "Pan-Sussex MoU" not in filtered
    form = editor_client.get(reverse("wagtaildocs:edit", args=[mou.pk])).content.decode()
    assert "Approved members only (signed in)" in form
    assert "Text extracted" in form


def test_new_uploads_default_to_the_members_collection(editor_client, members_collection):
    listing = editor_client.get(reverse("wagtaildocs:index")).content.decode()
    assert f"collection_id={members_collection.pk}" in listing
    form = editor_client.get(reverse("wagtaildocs:add")).content.decode()
    assert f'<option value="{members_collection.pk}" selected>' in form


def test_a_replaced_word_keeps_its_space():
    from documents.comparison import word_diff

    segments = word_diff("kept for six years", "kept for three years")
    assert "".join(s.text for s in segments) == "kept for six three years"


def add_versions(mou, count):
    """``count`` more documents beside ``mou`` (rows only: the list reads no files)."""
    GovernanceDocument.objects.bulk_create(
        GovernanceDocument(
            title=f"Agreement {n}",
            file=mou.file.name,
            collection=mou.collection,
            scheme=mou.scheme,
            kind=mou.kind,
            status=DocumentStatus.AGREED,
            version_label="1",
        )
        for n in range(count)
    )


def test_workbench_pages_run_a_constant_number_of_queries(
    editor_client, mou, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    index = reverse("wagtaildocs:index")
    for total in (10, 60):
        add_versions(mou, total - GovernanceDocument.objects.count())
        with django_assert_max_num_queries(QUERIES_LIST):
            assert editor_client.get(index).status_code == 200
    page = reverse("documents_admin:new_version", args=[mou.pk])
    with django_assert_max_num_queries(QUERIES_NEW_VERSION_FORM):
        assert editor_client.get(page).status_code == 200
    with (
        django_capture_on_commit_callbacks(execute=False),
        django_assert_max_num_queries(QUERIES_NEW_VERSION),
    ):
        assert new_version(editor_client, mou).status_code == 302
    # The new version's references (its collection, workstreams…) are indexed, once, complete.
    from wagtail.models import ReferenceIndex

    latest = GovernanceDocument.objects.get(replaces=mou)
    assert set(ReferenceIndex.get_references_for_object(latest).values_list("model_path", flat=True)) == set(
        ReferenceIndex.get_references_for_object(mou).values_list("model_path", flat=True)
    )
    assert ReferenceIndex.get_references_for_object(latest).filter(model_path__contains="workstream").exists()
