"""Home's content hooks. Serving (caches, the viewer's rule) has its own in serving/."""

from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin import messages


@hooks.register("after_publish_page")
def warn_of_an_empty_body(request, page):
    """A page published with nothing in its body shows readers only its title: say so."""
    body = getattr(page.specific, "body", None)
    if body is not None and not len(body):
        messages.warning(
            request,
            _(
                "“%(title)s” is published with an empty body: readers see only its title. Add its "
                "content and publish again, or unpublish it."
            )
            % {"title": page.title},
        )
