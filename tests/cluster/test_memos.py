"""Per-process memos notice a change another app server made, at the next request: everything
kept in a process is keyed on the content version read from the shared cache each request."""

import io
import time

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction

from home.demo import load_pages
from serving.version import VERSION_KEY, memo


def another_server_bumps_the_version():
    """What the commit hooks of another app server do: a new version in the shared cache (this
    process's signals do not run for the changes below, made with ``update``)."""
    from django.core.cache import cache

    cache.set(VERSION_KEY, time.time_ns(), None)


@pytest.fixture
def about(db, settings):
    load_pages(stdout=io.StringIO())
    return Page.objects.get(url_path="/home/about/")


def test_a_title_changed_elsewhere_is_served_at_the_next_request(about, client):
    assert client.get("/about/").status_code == 200
    assert memo.entries  # routing, site facts and chrome kept in this process
    Page.objects.filter(pk=about.pk).update(title="Renamed on another server")
    type(about.specific).objects.filter(pk=about.pk).update(title="Renamed on another server")
    assert "Renamed on another server" not in client.get("/about/").content.decode()  # kept
    another_server_bumps_the_version()
    assert "Renamed on another server" in client.get("/about/").content.decode()


def test_a_restriction_added_elsewhere_is_enforced_at_the_next_request(about, client, member):
    client.force_login(member)
    assert client.get("/about/").status_code == 200
    (restriction,) = PageViewRestriction.objects.bulk_create(  # no signals in this process
        [PageViewRestriction(page=about, restriction_type=PageViewRestriction.GROUPS)]
    )
    PageViewRestriction.groups.through.objects.bulk_create(
        [
            PageViewRestriction.groups.through(
                pageviewrestriction=restriction, group=Group.objects.create(name="Few")
            )
        ]
    )
    another_server_bumps_the_version()
    assert client.get("/about/").status_code != 200
