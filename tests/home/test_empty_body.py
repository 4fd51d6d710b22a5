"""Publishing a page with an empty body asks first; the draft is kept; "Publish it anyway"
publishes it and says so."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from accounts import roles
from home.models import StandardPage

pytestmark = pytest.mark.django_db


def publish(client, parent, **fields):
    data = {"title": "About the forum", "slug": "about-the-forum", "summary": "", "body-count": "0"}
    data.update(fields, **{"action-publish": "publish"})
    return client.post(reverse("wagtailadmin_pages:add", args=["home", "standardpage", parent.pk]), data)


def test_publishing_an_empty_body_asks_first(client, make_user):
    client.force_login(make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS, is_superuser=True))
    home = Site.objects.get(is_default_site=True).root_page
    response = publish(client, home)
    content = response.content.decode()
    assert response.status_code == 200
    assert "has nothing in its body: once published, readers would see only its title" in content
    page = StandardPage.objects.get(slug="about-the-forum")
    assert not page.live and page.get_latest_revision() is not None
    response = client.post(reverse("home_admin_publish_empty_body", args=[page.pk]), follow=True)
    page.refresh_from_db()
    assert page.live
    assert "is published with an empty body: readers see only its title" in response.content.decode()


def test_publishing_with_a_body_does_not_ask(client, make_user):
    client.force_login(make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS, is_superuser=True))
    home = Site.objects.get(is_default_site=True).root_page
    body = {
        "body-count": "1",
        "body-0-type": "heading",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "body-0-value": "Who we are",
    }
    response = publish(client, home, **body)
    assert response.status_code == 302
    assert StandardPage.objects.get(slug="about-the-forum").live
