"""Home's content hooks. Serving (caches, the viewer's rule) has its own in serving/."""

from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin import messages


@hooks.register("before_publish_page")
def confirm_an_empty_body(request, page):
    """Publishing a page with nothing in its body asks first (its draft is already saved):
    readers would see only its title. "Publish it anyway" publishes that draft."""
    from .admin_views import confirm_empty_body, has_empty_body

    if request.method == "POST" and has_empty_body(page):
        return confirm_empty_body(request, page)
    return None


@hooks.register("register_admin_urls")
def home_admin_urls():
    from django.urls import path

    from .admin_views import publish_empty_body

    return [
        path(
            "pages/<int:page_id>/publish-empty-body/",
            publish_empty_body,
            name="home_admin_publish_empty_body",
        )
    ]


@hooks.register("after_publish_page")
def warn_of_an_empty_body(request, page):
    """Published another way (a workflow's approval, say) with nothing in its body: say so."""
    from .admin_views import has_empty_body

    if has_empty_body(page):
        messages.warning(
            request,
            _(
                "“%(title)s” is published with an empty body: readers see only its title. Add its "
                "content and publish again, or unpublish it."
            )
            % {"title": page.title},
        )
