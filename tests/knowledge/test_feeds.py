"""Atom feeds of new public solutions and documents, site-wide and per workstream."""

import pytest
from wagtail.models import Collection

from tests.factories import restrict_page

from .factories import SolutionPageFactory, tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed_content(index, hate_crime, asb, make_document, members_collection):
    root = Collection.get_first_root_node()
    tag(SolutionPageFactory(parent=index, title="Third-party reporting centres"), hate_crime)
    tag(SolutionPageFactory(parent=index, title="Community trigger reviews"), asb)
    restrict_page(tag(SolutionPageFactory(parent=index, title="Members-only pilot"), hate_crime), "login")
    make_document("Hate crime ISA", workstreams=[hate_crime], collection=root, kind="isa")
    make_document("Members MoU", workstreams=[hate_crime], collection=members_collection)


def test_solutions_feed_is_atom_and_public_only(client, feed_content, member):
    client.force_login(member)  # a member asking still gets only public content
    response = client.get("/feeds/solutions/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "<feed" in body and "Third-party reporting centres" in body and "Community trigger reviews" in body
    assert "Members-only pilot" not in body


def test_documents_feed_is_public_only(client, feed_content):
    body = client.get("/feeds/documents/").content.decode()
    assert "Hate crime ISA" in body and "Members MoU" not in body


def test_workstream_feed(client, feed_content):
    body = client.get("/workstreams/hate-crime/feed/").content.decode()
    assert "Third-party reporting centres" in body and "Hate crime ISA" in body
    assert "Community trigger reviews" not in body and "Members" not in body.split("<entry>", 1)[1]
    assert client.get("/workstreams/no-such-thing/feed/").status_code == 404


def test_titles_are_escaped(client, index, hate_crime):
    tag(SolutionPageFactory(parent=index, title="<script>alert(1)</script>"), hate_crime)
    body = client.get("/feeds/solutions/").content.decode()
    assert "<script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_feed_links_on_index_and_hub(client, feed_content, index):
    head = client.get(index.url).content.decode().split("</head>", 1)[0]
    assert 'type="application/atom+xml"' in head
    head = client.get("/workstreams/hate-crime/").content.decode().split("</head>", 1)[0]
    assert 'href="/workstreams/hate-crime/feed/"' in head


def test_feeds_run_constant_queries(client, feed_content, index, hate_crime, django_assert_max_num_queries):
    client.get("/feeds/solutions/")
    client.get("/workstreams/hate-crime/feed/")
    with django_assert_max_num_queries(6) as small:
        client.get("/workstreams/hate-crime/feed/")
    for n in range(25):
        tag(SolutionPageFactory(parent=index, title=f"Extra {n}"), hate_crime)
    with django_assert_max_num_queries(len(small)):
        client.get("/workstreams/hate-crime/feed/")
    with django_assert_max_num_queries(4):
        client.get("/feeds/solutions/")
