"""Into the knowledge base: a national editor turns a resolved question into a draft solution,
prefilled and unpublished, linked both ways; POST only, CSRF, permission, never twice."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts import roles
from forum.models import Post, Topic
from forum.rendering import render_markdown
from knowledge.models import SolutionPage
from schemes.models import Workstream
from tests.knowledge.factories import KnowledgeIndexPageFactory

from .conftest import join, make_topic

pytestmark = pytest.mark.django_db


def resolved(group, author, title="Who chairs your community trigger reviews?"):
    topic = make_topic(group, author, title=title, posts=3, kind="question")
    for number, body in (
        (1, "Who **chairs** the reviews?"),
        (2, "The district lead chairs, <script>x()</script>."),
    ):
        Post.objects.filter(topic=topic, number=number).update(body=body, body_html=render_markdown(body))
    topic.accepted_post = topic.posts.get(number=2)
    topic.save(update_fields=["accepted_post"])
    topic.workstreams.add(Workstream.objects.get(slug="anti-social-behaviour"))
    return topic


@pytest.fixture
def index(db):
    return KnowledgeIndexPageFactory(slug="knowledge")


@pytest.fixture
def editor(make_user):
    return make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS)


def turn(client, topic):
    return client.post(reverse("forum:to_solution", args=[topic.pk]))


def test_an_editor_turns_a_resolved_question_into_one_draft_solution(
    client, index, groups, alice, bob, editor, django_assert_max_num_queries
):
    topic = resolved(groups[0], alice)
    client.force_login(editor)
    assert "Turn into a draft solution" in client.get(topic.get_absolute_url()).content.decode()
    response = turn(client, topic)
    page = SolutionPage.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "wagtailadmin_pages:edit", args=[page.pk]
    )
    assert not page.live and page.get_parent().pk == index.pk and page.owner == editor
    assert page.title == topic.title
    assert "<strong>chairs</strong>" in page.problem and "Who chairs the reviews?" in page.summary
    answer = str(page.what_was_done[0].value)
    assert "The district lead chairs" in answer and "<script" not in answer
    assert [w.slug for w in page.workstreams.all()] == ["anti-social-behaviour"]
    assert page.source_url == topic.get_absolute_url()
    assert page.source_note == "From a discussion in the National best-practice group"
    # A second click (or a replayed form) goes to the same draft.
    assert turn(client, topic)["Location"] == response["Location"]
    assert SolutionPage.objects.count() == 1
    topic.refresh_from_db()
    assert topic.solution_page_id == page.pk
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Turned into the draft solution" in html and response["Location"] in html
    # Its editor sees where it came from in the Wagtail admin.
    edit_form = client.get(response["Location"]).content.decode()
    assert "From a forum discussion" in edit_form and topic.get_absolute_url() in edit_form
    # A member learns nothing of a draft...
    client.force_login(bob)
    assert "solution" not in client.get(topic.get_absolute_url()).content.decode().lower()
    # ...and is linked to it once published; the page links back to the open group's topic.
    page.save_revision().publish()
    client.get(topic.get_absolute_url())  # warm the site's caches after the publication
    with django_assert_max_num_queries(12):
        html = client.get(topic.get_absolute_url()).content.decode()
    assert (
        "Turned into the solution" in html
        and page.url in html
        and "edit" not in html.split("Turned into")[1][:200]
    )
    solution_html = client.get(page.url).content.decode()
    assert "From a discussion in the National best-practice group" in solution_html
    assert topic.get_absolute_url() in solution_html


def test_refusals_change_nothing(client, index, groups, alice, bob, editor):
    national, private_group = groups
    topic = resolved(national, alice)
    open_question = make_topic(national, alice, title="Still open", posts=2, kind="question")
    client.force_login(bob)  # a member, not an editor
    response = turn(client, topic)
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    assert "Only national editors" in client.get(response["Location"]).content.decode()
    assert "Turn into a draft solution" not in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(editor)
    assert client.get(reverse("forum:to_solution", args=[topic.pk])).status_code == 405
    response = turn(client, open_question)
    assert "Only a question with an accepted answer" in client.get(response["Location"]).content.decode()
    # A private group's question does not exist for an editor outside it.
    private_question = resolved(private_group, alice, title="A private question")
    assert turn(client, private_question).status_code == 404
    # Forged CSRF.
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(editor)
    assert forged.post(reverse("forum:to_solution", args=[topic.pk])).status_code == 403
    assert not SolutionPage.objects.exists()
    assert not Topic.objects.filter(solution_page__isnull=False).exists()


def test_a_private_groups_question_leaves_no_trace_on_the_page(client, index, groups, alice, editor):
    private_question = resolved(groups[1], alice, title="A private question")
    join(groups[1], editor)
    client.force_login(editor)
    assert turn(client, private_question).status_code == 302
    page = SolutionPage.objects.get()
    assert page.source_note == "" and page.source_url == private_question.get_absolute_url()
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert page.title in html
    assert "From a discussion" not in html and private_question.get_absolute_url() not in html
