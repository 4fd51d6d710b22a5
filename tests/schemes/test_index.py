"""The scheme index: filters by region and workstream, the national usage matrix and its CSV."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schemes.models import Region, WorkstreamUse
from tests.factories import restrict_page

from .conftest import bulk_schemes

pytestmark = pytest.mark.django_db

D = datetime.date
LIVE, PILOT, PLANNED = WorkstreamUse.LIVE, WorkstreamUse.PILOT, WorkstreamUse.PLANNED


@pytest.fixture
def schemes(make_scheme):
    sussex = make_scheme(
        "Pan-Sussex",
        uses=[
            ("restorative-justice", LIVE, D(2015, 3, 1)),
            ("fly-tipping", PILOT, D(2025, 1, 1)),
            ("hate-crime", PLANNED, None),
        ],
    )
    manchester = make_scheme(
        "Greater Manchester", region=Region.NORTH_WEST, uses=[("domestic-abuse", LIVE, D(2020, 3, 1))]
    )
    return sussex, manchester


def html(response) -> str:
    return response.content.decode()


def main(response) -> str:
    return html(response).split("<main", 1)[1]


def matrix_rows(response):
    return [row.scheme.title for row in response.context["matrix"].rows]


def test_index_lists_schemes_and_the_matrix(client, index, schemes):
    response = client.get(index.url)
    assert response.status_code == 200
    assert matrix_rows(response) == ["Greater Manchester", "Pan-Sussex"]
    page = main(response)
    assert "<caption>Workstreams in use by scheme" in page
    assert '<th scope="col">Restorative justice</th>' in page
    assert '<th scope="row"><a href="/schemes/pan-sussex/">Pan-Sussex</a></th>' in page
    # The state is in words, not colour alone; the start date is given.
    assert ">Live</strong>" in page and ">Pilot</strong>" in page and ">Planned</strong>" in page
    assert 'since <time datetime="2015-03">March 2015</time>' in page
    assert "Not used" in page
    assert "css/schemes.css" in html(response)  # the print styles


def test_filter_by_region_and_workstream(client, index, schemes):
    assert matrix_rows(client.get(index.url, {"region": "north_west"})) == ["Greater Manchester"]
    assert matrix_rows(client.get(index.url, {"workstream": "fly-tipping"})) == ["Pan-Sussex"]
    both = client.get(index.url, {"region": "north_west", "workstream": "fly-tipping"})
    assert matrix_rows(both) == []
    assert "No scheme matches these filters." in html(both)
    response = client.get(index.url, {"region": "south_east"})
    assert '<option value="south_east" selected>' in html(response)
    assert "Clear filters" in html(response)


@pytest.mark.parametrize(
    "query, message",
    [
        ({"region": "atlantis"}, "There is no region “atlantis”"),
        ({"workstream": "no-such-thing"}, "There is no workstream “no-such-thing”"),
        ({"region": "<script>alert(1)</script>"}, "There is no region “&lt;script&gt;"),
        ({"region": ["south_east", "x"], "workstream": "x" * 5000}, "There is no workstream"),
    ],
)
def test_unknown_filter_values_get_a_clear_message_and_every_scheme(client, index, schemes, query, message):
    response = client.get(index.url, query)
    assert response.status_code == 200
    assert message in html(response)
    assert "<script>alert" not in html(response)
    assert len(matrix_rows(response)) in (1, 2)


def test_members_only_schemes_appear_to_members_only(client, member, index, schemes, make_scheme):
    hidden = make_scheme("Members Vale", uses=[("hate-crime", LIVE, D(2020, 1, 1))])
    restrict_page(hidden)
    assert "Members Vale" not in matrix_rows(client.get(index.url))
    anonymous_csv = client.get(index.url + "matrix-csv/")
    assert anonymous_csv.status_code == 200 and "Members Vale" not in anonymous_csv.content.decode()
    client.force_login(member)
    assert "Members Vale" in matrix_rows(client.get(index.url))
    assert "Members Vale" in client.get(index.url + "matrix-csv/").content.decode()


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_matrix_as_csv(client, index, schemes):
    response = client.get(index.url + "matrix-csv/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="scheme-workstream-usage.csv"'
    rows = read_csv(response)
    assert rows[0] == [
        "Scheme",
        "Region",
        "Lead force",
        "Domestic abuse",
        "Fly-tipping",
        "Hate crime",
        "Restorative justice",
    ]
    assert rows[1] == ["Greater Manchester", "North West", "Sussex Police", "live 2020-03-01", "", "", ""]
    assert rows[2] == [
        "Pan-Sussex",
        "South East",
        "Sussex Police",
        "",
        "pilot 2025-01-01",
        "planned",
        "live 2015-03-01",
    ]
    filtered = read_csv(client.get(index.url + "matrix-csv/", {"region": "north_west"}))
    assert [row[0] for row in filtered[1:]] == ["Greater Manchester"]
    assert 'href="/schemes/matrix-csv/?region=north_west"' in html(
        client.get(index.url, {"region": "north_west"})
    )


@pytest.mark.parametrize("title", ['=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)"])
def test_csv_never_carries_a_formula(client, index, make_scheme, title):
    make_scheme(title, slug="formula", uses=[("hate-crime", LIVE, None)])
    rows = read_csv(client.get(index.url + "matrix-csv/"))
    assert rows[1][0] == "'" + title


def test_csv_with_unknown_filters_says_what_is_wrong(client, index, schemes):
    response = client.get(index.url + "matrix-csv/", {"workstream": "nonsense"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "There is no workstream “nonsense”" in response.content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("route", ["", "?region=south_east&workstream=hate-crime", "matrix-csv/"])
def test_constant_queries_from_10_to_5000_schemes(
    client, member, index, organisation, settings, django_assert_max_num_queries, signed_in, route
):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = settings.AUDIENCE_PAGE_CACHE_SECONDS = 0
    if signed_in:
        client.force_login(member)
    bulk_schemes(index, 10, lead_force=organisation, uses_per_scheme=3)
    url = index.url + route
    client.get(url)  # the site's shared facts, as on a running site
    small = count_queries(client, url)
    bulk_schemes(index, 4990, lead_force=organisation, uses_per_scheme=3)
    with django_assert_max_num_queries(12):
        large = count_queries(client, url)
    assert small == large


def test_constant_queries_from_10_to_5000_usage_rows(
    client, index, make_scheme, settings, django_assert_max_num_queries
):
    """Few schemes, many workstreams each: 10 usage rows, then 5,000."""
    from schemes.models import SchemeWorkstreamUse, Workstream

    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    schemes = [make_scheme(f"Scheme {n}") for n in range(10)]
    Workstream.objects.bulk_create(
        [Workstream(name=f"Extra {n:03d}", slug=f"extra-{n:03d}") for n in range(500)]
    )
    extra = list(Workstream.objects.filter(slug__startswith="extra-").order_by("slug"))

    def uses(per_scheme, offset=0):
        SchemeWorkstreamUse.objects.bulk_create(
            SchemeWorkstreamUse(scheme=s, workstream=w, status=LIVE, started_on=D(2020, 1, 1))
            for s in schemes
            for w in extra[offset : offset + per_scheme]
        )

    uses(1)
    client.get(index.url)
    small = count_queries(client, index.url)
    uses(499, offset=1)
    assert SchemeWorkstreamUse.objects.count() == 5000
    with django_assert_max_num_queries(12):
        large = count_queries(client, index.url)
    assert small == large


def test_a_scheme_page_is_still_routed_in_two_queries_past_the_routable_index(
    index, make_scheme, django_assert_max_num_queries
):
    from django.test import RequestFactory
    from wagtail.models import Site

    make_scheme("Pan-Sussex")
    root = Site.objects.get(is_default_site=True).root_page.specific
    root.route(RequestFactory().get("/"), ["schemes", "pan-sussex"])  # warms the content types
    with django_assert_max_num_queries(2):
        page, _, _ = root.route(RequestFactory().get("/"), ["schemes", "pan-sussex"])
    assert page.slug == "pan-sussex"
    found, args, _ = root.route(RequestFactory().get("/"), ["schemes", "matrix-csv"])
    assert found.pk == index.pk and args[0].__name__ == "matrix_csv_route"
