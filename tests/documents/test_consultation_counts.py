"""A document in consultation shows its comment counts per clause on its page (added by the
forum through the ``document_page_sections`` hook): the same queries whatever the number of
comments, counts only (the page is shared), nothing from a thread in a private group."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import DocumentStatus
from documents.services import document_set_status
from forum.models import Consultation, ForumGroup, GroupKind, Post, Topic, Visibility
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BUDGET = 12


@pytest.fixture
def consultation(make_document, django_capture_on_commit_callbacks):
    ForumGroup.objects.create(name="National best-practice group", slug="national", kind=GroupKind.NATIONAL)
    document = make_document(title="Pan-Sussex MoU", version_label="3.0", status=DocumentStatus.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        document_set_status(document=document, status=DocumentStatus.IN_CONSULTATION)
    return Consultation.objects.select_related("topic", "document").get(document=document)


def _comments(consultation, count, *, clause_of=lambda n: n % 5 + 1):
    topic = consultation.topic
    author = UserFactory(first_name="Private", last_name="Person")
    start = Topic.objects.get(pk=topic.pk).post_count
    Post.objects.bulk_create(
        [
            Post(
                topic=topic,
                number=start + n + 1,
                author=author,
                body=f"Comment {n}",
                body_html="<p>x</p>",
                clause=clause_of(n),
            )
            for n in range(count)
        ]
    )
    Topic.objects.filter(pk=topic.pk).update(post_count=start + count)
    consultation.save()  # what a comment does: retire the cached pages


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_counts_per_clause_in_constant_queries(client, settings, library, consultation):
    settings.AUDIENCE_PAGE_CACHE_SECONDS = 0
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    url = library.document_url(consultation.document)
    client.force_login(UserFactory())
    client.get(url)  # warm the session and site caches
    _comments(consultation, 5)
    client.get(url)  # a comment retires the caches: warm them again
    small_page, small = _get(client, url)
    assert "5 comments so far" in small_page
    _comments(consultation, 2000)
    client.get(url)
    large_page, large = _get(client, url)
    assert "2,005 comments so far" in large_page or "2005 comments so far" in large_page
    assert small == large <= BUDGET
    assert "Private" not in large_page and "Comment 1" not in large_page


def test_anonymous_visitors_see_the_counts_of_a_public_document(client, library, consultation):
    _comments(consultation, 3, clause_of=lambda n: 2)
    page = client.get(library.document_url(consultation.document)).content.decode()
    assert "3 comments so far" in page
    assert 'id="clause-2"' in page


def test_a_private_or_hidden_thread_shows_nothing(client, library, consultation):
    _comments(consultation, 3)
    url = library.document_url(consultation.document)
    Topic.objects.filter(pk=consultation.topic_id).update(is_hidden=True)
    consultation.save()
    assert "Comments by clause" not in client.get(url).content.decode()
    Topic.objects.filter(pk=consultation.topic_id).update(is_hidden=False)
    ForumGroup.objects.update(visibility=Visibility.PRIVATE)
    assert "Comments by clause" not in client.get(url).content.decode()


def test_a_document_never_in_consultation_has_no_section(client, library, make_document):
    document = make_document(title="Agreed MoU")
    assert "Comments by clause" not in client.get(library.document_url(document)).content.decode()
