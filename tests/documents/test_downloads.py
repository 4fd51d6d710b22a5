"""Who may see and download which documents; download counting and cache headers."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction

from accounts import roles
from documents.models import DocumentStatus, GovernanceDocument

pytestmark = pytest.mark.django_db


def _download(client, document):
    response = client.get(document.url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


def test_public_document_downloads_for_anyone_and_is_counted(client, make_document):
    document = make_document()
    response = _download(client, document)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" not in response.get("Cache-Control", "")
    document.refresh_from_db()
    assert document.download_count == 1


def test_download_url_is_the_permission_checked_view(make_document):
    document = make_document()
    assert document.url == reverse("wagtaildocs_serve", args=[document.pk, document.filename])
    assert document.url.startswith("/documents/")


def test_members_only_document_downloads_for_members_without_shared_caching(
    client, make_document, members_collection, member
):
    document = make_document(collection=members_collection)
    client.force_login(member)
    response = _download(client, document)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    document.refresh_from_db()
    assert document.download_count == 1


def test_anonymous_visitor_is_asked_to_sign_in_whether_or_not_it_exists(
    client, make_document, members_collection
):
    document = make_document(collection=members_collection)
    restricted = client.get(document.url)
    missing = client.get(f"/documents/999999/{document.filename}")
    assert restricted.status_code == missing.status_code == 302
    assert restricted["Location"].startswith("/accounts/login/?next=")
    assert missing["Location"].startswith("/accounts/login/?next=")
    document.refresh_from_db()
    assert document.download_count == 0


def test_signed_in_person_awaiting_approval_is_told_why_and_a_missing_document_is_404(
    client, make_document, members_collection, make_user
):
    document = make_document(collection=members_collection)
    client.force_login(make_user("pending@sussex.police.uk", approved=False))
    response = client.get(document.url)
    assert response.status_code == 403 and "waiting for approval" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert client.get(f"/documents/999999/{document.filename}").status_code == 404
    document.refresh_from_db()
    assert document.download_count == 0


def test_login_restriction_still_needs_an_approved_member(client, make_document, make_user):
    collection = Collection.get_first_root_node().add_child(name="Signed in")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = make_document(collection=collection)
    client.force_login(make_user("pending@sussex.police.uk", approved=False))
    assert client.get(document.url).status_code == 403
    client.force_login(make_user("member@sussex.police.uk"))
    assert _download(client, document).status_code == 200


def test_restriction_on_a_parent_collection_covers_its_children(client, make_document, members_collection):
    child = members_collection.add_child(name="Sussex")
    document = make_document(collection=child)
    assert client.get(document.url).status_code == 302


def test_groups_restriction_follows_its_groups(client, make_document, make_user):
    collection = Collection.get_first_root_node().add_child(name="Editors only")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=roles.NATIONAL_EDITORS)])
    document = make_document(collection=collection)
    client.force_login(make_user("member@sussex.police.uk"))
    assert client.get(document.url).status_code == 404
    client.force_login(make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS))
    assert _download(client, document).status_code == 200


def test_drafts_are_for_editors_only(client, make_document, make_user):
    document = make_document(status=DocumentStatus.DRAFT)
    assert client.get(document.url).status_code == 302
    client.force_login(make_user("member@sussex.police.uk"))
    assert client.get(document.url).status_code == 404
    client.force_login(make_user("editor@sussex.police.uk", role=roles.CONTRIBUTORS))
    response = _download(client, document)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_wrong_filename_is_404(client, make_document, member):
    document = make_document()
    client.force_login(member)
    assert client.get(f"/documents/{document.pk}/other.pdf").status_code == 404


def test_conditional_request_is_not_counted_twice(client, make_document):
    document = make_document()
    first = _download(client, document)
    again = client.get(document.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    document.refresh_from_db()
    assert document.download_count == 1


def test_the_hook_guards_wagtails_own_serve_view(rf, make_document, members_collection, member):
    """Any route to Wagtail's serve view still applies the members-only rule."""
    from django.contrib.auth.models import AnonymousUser
    from wagtail.documents.views.serve import serve

    document = make_document(collection=members_collection)
    request = rf.get(document.url)
    request.user = AnonymousUser()
    request.session = {}
    assert serve(request, document.pk, document.filename).status_code == 302
    request = rf.get(document.url)
    request.user = member
    request.session = {}
    assert serve(request, document.pk, document.filename).status_code == 200
    assert GovernanceDocument.objects.get(pk=document.pk).download_count == 0  # counted by our view only


@pytest.mark.parametrize(
    ("fmt", "content", "content_type", "disposition"),
    [
        ("pdf", None, "application/pdf", 'inline; filename="{name}"'),
        (
            "docx",
            None,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            'attachment; filename="{name}"',
        ),
        ("txt", b"1.1 Plain text terms of reference.\n", "text/plain", 'attachment; filename="{name}"'),
    ],
)
def test_download_headers_are_exact(client, make_document, fmt, content, content_type, disposition):
    """No ``Content-Encoding: None`` (Wagtail's sendfile writes one), the right type, a safe
    quoted name and no MIME sniffing."""
    document = make_document(fmt=fmt, content=content, filename=f'Pan "Sussex" MoU.{fmt}')
    response = _download(client, document)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition.format(name=document.filename)
    assert '"' not in document.filename and "/" not in document.filename
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(document.file.size)
