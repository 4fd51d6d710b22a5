"""A page that goes while it is being routed or served is not found (404), never an error."""

import io

import pytest
from wagtail.models import Page

from home.demo import load_pages
from home.models import StandardPage
from serving import routing

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_pages(db):
    return load_pages(stdout=io.StringIO())


def test_a_page_deleted_between_routing_and_serving_is_404(client, site_pages, member, monkeypatch):
    original = routing._route

    def route_then_delete(root, request, path_components):
        result = original(root, request, path_components)
        Page.objects.filter(pk=result.page.pk).delete()  # an editor deletes it meanwhile
        return result

    monkeypatch.setattr(routing, "_route", route_then_delete)
    response = client.get("/about/")
    assert response.status_code in (200, 404)  # what was routed may still be answered...
    monkeypatch.undo()
    assert client.get("/about/").status_code == 404  # ...but never again, from any cache
    client.force_login(member)
    assert client.get("/about/").status_code == 404


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_page_missing_while_routed_or_served_is_404(client, site_pages, member, monkeypatch, signed_in):
    if signed_in:
        client.force_login(member)

    def gone(*args, **kwargs):
        raise Page.DoesNotExist

    monkeypatch.setattr(routing, "_route", gone)
    assert client.get("/about/").status_code == 404
    monkeypatch.undo()
    monkeypatch.setattr(StandardPage, "serve", gone)
    assert client.get("/about/").status_code == 404
