"""Consultation on governance documents: the thread opens with the status, members comment on
the whole document or a numbered clause, the document's page shows counts per clause (no
names, nothing from a private group), the editor sees comments by clause, and the thread
closes when the version is agreed."""

import pytest
from django.urls import reverse

from documents.comparison import clauses
from documents.models import DocumentStatus
from documents.services import document_agree, document_set_status
from forum.consultation import clause_counts, consultation_comment
from forum.kept import touch_topic
from forum.models import Consultation, Post, TopicKind, Visibility
from forum.services import ForumError
from tests.factories import UserFactory

from .conftest import join

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(groups, make_document):
    return make_document(title="Pan-Sussex MoU", version_label="3.0", status=DocumentStatus.DRAFT)


@pytest.fixture
def consulting(draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document_set_status(document=draft, status=DocumentStatus.IN_CONSULTATION)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def consultation(consulting):
    return Consultation.objects.select_related("topic").get(document=consulting)


def bulk_comments(consultation, authors, count):
    """``count`` comments written straight to the database: clause n % 4 + 1, "Comment n"."""
    topic = consultation.topic
    start = type(topic).objects.get(pk=topic.pk).post_count
    Post.objects.bulk_create(
        [
            Post(
                topic=topic,
                number=start + n + 1,
                author=authors[n % len(authors)],
                body=f"Comment {n}",
                body_html=f"<p>Comment {n}</p>",
                clause=n % 4 + 1,
            )
            for n in range(count)
        ]
    )
    type(topic).objects.filter(pk=topic.pk).update(post_count=start + count)
    touch_topic(topic.pk)  # written straight to the database: no signal retires the kept pages


def _document_url(library, document):
    return library.document_url(document)


def test_going_into_consultation_opens_a_thread_in_the_national_group(consultation, groups):
    topic = consultation.topic
    assert topic.group == groups[0]
    assert topic.kind == TopicKind.CONSULTATION
    assert topic.title == "Consultation: Pan-Sussex MoU (version 3.0)"
    assert not topic.is_locked
    first = topic.posts.get(number=1)
    assert first.is_notice and first.author is None


def test_a_draft_has_no_thread(draft):
    assert not Consultation.objects.exists()


def test_members_comment_on_the_whole_document_or_a_clause(client, consultation, bob, consulting):
    texts = clauses(consulting.extraction.text)
    assert len(texts) >= 4
    client.force_login(bob)
    url = reverse("forum:reply", args=[consultation.topic_id])
    form = client.get(url + "?clause=3").content.decode()
    assert 'value="3" selected' in form
    response = client.post(url, {"body": "Clause 3 needs a date.", "clause": "3"})
    assert response.status_code == 302
    response = client.post(url, {"body": "Overall fine.", "clause": ""})
    assert response.status_code == 302
    assert clause_counts(consultation.topic_id) == {3: 1, None: 1}
    page = client.get(consultation.topic.get_absolute_url()).content.decode()
    assert "On clause 3" in page and "On the whole document" in page


@pytest.mark.parametrize("clause", ["99", "0", "-1", "abc"])
def test_an_unknown_clause_is_refused_and_nothing_saved(client, consultation, bob, clause):
    client.force_login(bob)
    before = Post.objects.count()
    response = client.post(
        reverse("forum:reply", args=[consultation.topic_id]), {"body": "On a clause.", "clause": clause}
    )
    assert response.status_code == 200
    assert "no clause" in response.content.decode()
    assert Post.objects.count() == before


def test_the_service_refuses_an_unknown_clause_too(consultation, bob):
    with pytest.raises(ForumError, match="no clause 500"):
        consultation_comment(consultation=consultation, author=bob, body="x", clause=500)
    assert not Post.objects.filter(author=bob).exists()


def test_the_document_page_shows_counts_per_clause_and_no_names(
    client,
    library,
    consultation,
    consulting,
    alice,
    bob,
):
    consultation_comment(consultation=consultation, author=alice, body="Secret thought.", clause=2)
    consultation_comment(consultation=consultation, author=bob, body="Me too.", clause=2)
    consultation_comment(consultation=consultation, author=bob, body="Whole.", clause=None)
    client.force_login(UserFactory())
    page = client.get(_document_url(library, consulting)).content.decode()
    assert "Comments by clause" in page
    assert 'id="clause-2"' in page
    assert "2 comments" in page
    assert "3 comments so far" in page
    for name in ("Alice", "Ward", "Bob", "Stone", "Secret thought"):
        assert name not in page


def test_comment_counts_on_the_cached_page_follow_new_comments(
    client,
    library,
    consultation,
    consulting,
    bob,
    django_capture_on_commit_callbacks,
):
    viewer = UserFactory()
    client.force_login(viewer)
    url = _document_url(library, consulting)
    assert "0 comments so far" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        consultation_comment(consultation=consultation, author=bob, body="Hm.", clause=1)
    assert "1 comment so far" in client.get(url).content.decode()


def test_a_thread_in_a_private_group_never_shows_on_the_document_page(
    client,
    library,
    consultation,
    consulting,
    alice,
):
    consultation_comment(consultation=consultation, author=alice, body="x", clause=1)
    group = consultation.topic.group
    group.visibility = Visibility.PRIVATE
    group.save()
    client.force_login(alice)  # a member: still nothing, the page is shared by the audience
    page = client.get(_document_url(library, consulting)).content.decode()
    assert "Comments by clause" not in page
    assert consultation.topic.title not in page


def test_agreeing_the_version_locks_the_thread_with_a_notice(
    client, consultation, consulting, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document_agree(document=consulting)
    consultation.refresh_from_db()
    topic = consultation.topic
    topic.refresh_from_db()
    assert topic.is_locked and consultation.closed_at is not None
    notice = topic.posts.order_by("-number").first()
    assert notice.is_notice and "was agreed" in notice.body
    client.force_login(bob)
    response = client.post(reverse("forum:reply", args=[topic.pk]), {"body": "Late.", "clause": "1"})
    assert response.status_code == 302
    assert not topic.posts.filter(author=bob).exists()


def test_the_editor_sees_comments_grouped_by_clause(
    client, consultation, alice, bob, django_assert_max_num_queries
):
    bulk_comments(consultation, [alice, bob], 300)
    editor = UserFactory(groups=["National editors"], is_staff=True)
    join(consultation.topic.group, editor)
    client.force_login(editor)
    url = reverse("forum_moderation:consultation", args=[consultation.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        page = client.get(url + "?clause=2").content.decode()
    assert "Comments on clause 2" in page
    assert "Comment 1<" in page or "Comment 1\n" in page or "Comment 1</" in page
    assert "Comment 2<" not in page
    assert client.get(reverse("forum_moderation:consultations")).status_code == 200


def test_members_who_do_not_edit_documents_do_not_get_the_editor_page(client, consultation, bob):
    client.force_login(bob)
    response = client.get(reverse("forum_moderation:consultation", args=[consultation.pk]))
    assert response.status_code in (302, 403, 404)


def test_a_consultation_thread_page_is_constant_with_many_comments(
    client, consultation, alice, bob, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(bob)
    url = consultation.topic.get_absolute_url()
    client.get(url)
    bulk_comments(consultation, [alice], 20)
    client.get(url)  # the topic's row kept again after the comments
    with CaptureQueriesContext(connection) as small:
        client.get(url + "?page=2")  # the posts read and kept, the read mark moved
    bulk_comments(consultation, [alice], 2000)
    client.get(url + "?page=50")
    with CaptureQueriesContext(connection) as large:
        page = client.get(url + "?page=60").content.decode()
    with CaptureQueriesContext(connection) as kept:
        client.get(url + "?page=60")
    assert "On clause" in page
    assert len(small) == len(large) <= 12
    assert len(kept) < len(large)


def test_a_member_outside_the_group_is_told_to_join_before_commenting(client, consultation):
    outsider = UserFactory()
    client.force_login(outsider)
    response = client.get(reverse("forum:reply", args=[consultation.topic_id]) + "?clause=2", follow=True)
    assert "Join the group first" in response.content.decode()
    assert response.redirect_chain[-1][0] == consultation.topic.group.get_absolute_url()
