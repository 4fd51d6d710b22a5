"""Publishing a page with an empty body warns the editor."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from accounts import roles
from home.models import StandardPage

pytestmark = pytest.mark.django_db


def publish(client, parent, **fields):
    data = {"title": "About the forum", "slug": "about-the-forum", "summary": "", "body-count": "0"}
    data.update(fields, **{"action-publish": "publish"})
    return client.post(
        reverse("wagtailadmin_pages:add", args=["home", "standardpage", parent.pk]), data, follow=True
    )


def test_publishing_an_empty_body_warns(client, make_user):
    client.force_login(make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS, is_superuser=True))
    home = Site.objects.get(is_default_site=True).root_page
    response = publish(client, home)
    assert StandardPage.objects.get(slug="about-the-forum").live
    assert "is published with an empty body: readers see only its title" in response.content.decode()
