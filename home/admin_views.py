"""Publishing a page with an empty body asks first (``wagtail_hooks.confirm_an_empty_body``).

The editor's changes are already saved as a draft when the question is asked; "Publish it
anyway" publishes exactly that draft. Plain forms: no JavaScript needed.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.admin import messages
from wagtail.models import Page


def has_empty_body(page) -> bool:
    body = getattr(page if hasattr(page, "body") else page.specific, "body", None)
    return body is not None and not len(body)


def confirm_empty_body(request, page):
    if page.live and page.live_revision_id is None:
        # Wagtail's create view adds a page to be published as live before publishing it: as
        # the publishing waits for the answer, it is a draft until then.
        page.live = False
        page.has_unpublished_changes = True
        page.save(update_fields=["live", "has_unpublished_changes"])
    return TemplateResponse(request, "home/admin/confirm_empty_body.html", {"page": page}, status=200)


@require_POST
def publish_empty_body(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    revision = page.get_latest_revision()
    if revision is None:
        return redirect("wagtailadmin_pages:edit", page.pk)
    PublishPageRevisionAction(revision, user=request.user, changed=True).execute()
    messages.warning(
        request,
        _("“%(title)s” is published with an empty body: readers see only its title.") % {"title": page.title},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
