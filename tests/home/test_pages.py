import io

import pytest
from django.test import override_settings
from django.urls import reverse

from home.demo import load_pages
from home.models import StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_pages(db):
    return load_pages(stdout=io.StringIO())


def test_home_page_renders_with_chrome(client, site_pages):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="en-GB"' in body
    assert 'href="#main-content"' in body and 'id="main-content"' in body
    assert 'role="search"' in body and 'action="/search/"' in body
    assert "Share what works in community safety" in body
    assert 'href="/about/"' in body
    assert 'href="/accessibility-statement/"' in body and 'href="/privacy-notice/"' in body


def test_members_only_page_is_hidden_from_visitors(client, site_pages):
    body = client.get("/").content.decode()
    assert "Members&#x27; area" not in body and "Members' area" not in body
    response = client.get("/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_members_see_members_only_page_in_navigation(client, site_pages, member):
    client.force_login(member)
    assert 'href="/members/"' in client.get("/").content.decode()
    response = client.get("/members/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_unapproved_user_sees_only_public_pages(client, site_pages, make_user):
    pending = make_user("new@sussex.police.uk", approved=False, role=None)
    client.force_login(pending)
    assert 'href="/members/"' not in client.get("/").content.decode()
    response = client.get("/members/")
    assert response.status_code == 403
    assert "waiting for approval" in response.content.decode()
    assert client.get("/about/").status_code == 200


def test_breadcrumbs_on_nested_pages(client, site_pages):
    about = StandardPage.objects.get(slug="about")
    child = StandardPage(title="Our history", slug="history", summary="How it began.")
    about.add_child(instance=child)
    child.save_revision().publish()
    body = client.get("/about/history/").content.decode()
    assert 'aria-label="Breadcrumb"' in body
    assert 'href="/about/"' in body
    assert 'aria-current="page">Our history' in body


def test_navigation_follows_publishing(client, site_pages):
    assert 'href="/about/"' in client.get("/").content.decode()
    StandardPage.objects.get(slug="about").unpublish()
    assert 'href="/about/"' not in client.get("/").content.decode()


def test_unknown_page_gets_the_404_template(client, site_pages):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@override_settings(DEBUG=False)
def test_server_error_page_needs_no_database(rf):
    from home.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_health_check_is_cheap(client, django_assert_max_num_queries):
    """Each dependency's own checks: tests/cluster/test_health.py."""
    with django_assert_max_num_queries(1):
        response = client.get(reverse("health"))
    assert response.content.decode().splitlines()[1] == "database: ok"


@pytest.mark.parametrize("path", ["/", "/about/", "/accessibility-statement/", "/schemes/"])
def test_pages_run_few_queries_for_visitors(
    client, site_pages, path, django_assert_max_num_queries, settings
):
    from schemes.demo import load_organisations, load_schemes

    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0  # measure the page itself, not the page cache
    load_schemes(stdout=io.StringIO(), organisations=load_organisations(stdout=io.StringIO()))
    client.get(path)  # warm the chrome cache, as on a live site
    with django_assert_max_num_queries(12):
        assert client.get(path).status_code == 200


def _queries_for(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_pages(client, site_pages, member, settings):
    settings.AUDIENCE_PAGE_CACHE_SECONDS = 0  # measure rendering, not the page cache per audience
    client.force_login(member)
    client.get("/")
    before = _queries_for(client, "/")
    assert before <= 12
    home = site_pages
    for i in range(30):
        page = StandardPage(
            title=f"Extra {i}", slug=f"extra-{i}", show_in_menus=True, show_in_footer=i % 2 == 0
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    client.get("/")
    assert _queries_for(client, "/") == before
    assert "Extra 29" in client.get("/").content.decode()


def _header(body: str) -> str:
    return body[body.index('<header class="header"') : body.index("</header>")]


def test_the_kept_header_marks_each_page_and_gives_editors_their_link(client, site_pages, make_user):
    from accounts import roles
    from serving.version import memo

    editor = make_user("editor@sussex-pcc.gov.uk", role=roles.NATIONAL_EDITORS)
    about = StandardPage.objects.get(slug="about")
    client.force_login(editor)
    for _ in range(2):  # rendered, then kept
        header = _header(client.get("/about/").content.decode())
        assert '<a href="/about/" aria-current="page">' in header
        assert f'href="/admin/pages/{about.pk}/edit/"' in header and "Edit this page" in header
    header = _header(client.get("/").content.decode())
    assert 'aria-current="page"' not in header.split('href="/about/"')[1][:20]
    assert f"/admin/pages/{about.pk}/edit/" not in header
    assert [key for key in memo.entries if key.startswith("site-header:")]


def test_colleagues_of_one_kind_share_the_header_and_a_search_is_never_kept(client, site_pages, make_user):
    """The header of a search page is kept around its search box's value: the query itself is
    never kept, and is escaped where it is put."""
    from serving.version import memo

    first, second = make_user("one@sussex.police.uk"), make_user("two@sussex.police.uk", first_name="Kim")
    headers = []
    for person in (first, second):
        client.force_login(person)
        headers.append(_header(client.get("/about/").content.decode()))
    assert headers[0] == headers[1] and "Sign out" in headers[0] and "Sign in" not in headers[0]
    shown = {}
    for query in ("fly tipping", "hate crime", '"><script>alert(1)</script>'):
        shown[query] = _header(client.get("/search/", {"q": query}).content.decode())
    assert 'value="fly tipping"' in shown["fly tipping"] and 'value="hate crime"' in shown["hate crime"]
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in shown['"><script>alert(1)</script>']
    assert "<script>alert" not in shown['"><script>alert(1)</script>']
    assert shown["fly tipping"].replace("fly tipping", "hate crime") == shown["hate crime"]
    kept = [value for key, value in memo.entries.items() if key.startswith("site-header:")]
    assert any(key.endswith(":search-box") for key in memo.entries)
    assert not [value for value in kept if "fly" in str(value) or "hate crime" in str(value)]
