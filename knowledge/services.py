"""Business rules of the knowledge section."""

import html
from types import SimpleNamespace

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission
from wagtail.rich_text import RichText

from accounts import roles
from schemes.models import Workstream


def contributors_grant(index_page) -> None:
    """Give the Contributors group its page permissions (``roles.CONTRIBUTOR_PAGE_PERMISSIONS``)
    on a knowledge index page, so they draft and submit solutions and guides there and nowhere
    else. Safe to run twice."""
    group = Group.objects.filter(name=roles.CONTRIBUTORS).first()
    if group is None:
        return
    for codename in roles.CONTRIBUTOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=index_page, permission=permission)


# A resolved forum question turned into a draft solution ----------------------------------


def _unique_slug(index, title: str) -> str:
    base = slugify(title)[:70] or "solution"
    taken = set(index.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _summary(question_html: str) -> str:
    text = " ".join(html.unescape(strip_tags(question_html)).split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"


SUMMARY_CHARS = 400


def solution_draft_from_discussion(
    *,
    user,
    key: str,
    title: str,
    url: str,
    note: str,
    question_html: str,
    answer_html: str,
    workstream_ids=(),
):
    """A draft (never published) solution under the knowledge index, prefilled from a resolved
    question: its title, the question as the problem, the accepted answer as what was done, its
    workstreams; owned by the editor who asked, who sees the discussion in the page's "From a
    forum discussion" panel.

    Plain data only, so the knowledge section names no forum model (the forum reaches this
    through the ``solution_draft_from_discussion`` hook): ``key`` names the discussion once (a
    second request returns the draft the first made), ``note`` is the line the page may show
    ("From a discussion in ...", empty for a private group), the HTML is already sanitised.
    Only someone who may add pages under the index (national editors) may: ``PermissionDenied``
    otherwise; ``ValidationError`` when there is no index to put it under.
    """
    from .models import KnowledgeIndexPage, SolutionPage

    source = SimpleNamespace(
        key=key,
        title=title,
        url=url,
        note=note,
        question_html=question_html,
        answer_html=answer_html,
        workstream_ids=tuple(workstream_ids),
    )
    existing = SolutionPage.objects.filter(source_key=source.key).first()
    if existing is not None:
        return existing
    index = KnowledgeIndexPage.objects.order_by("path").first()
    if index is None:
        raise ValidationError(_("There is no solutions index to put the draft under."))
    if not index.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied(_("Only national editors can start a solution from a discussion."))
    title = " ".join(source.title.split())[:255]
    page = SolutionPage(
        title=title,
        slug=_unique_slug(index, title),
        summary=_summary(source.question_html),
        problem=source.question_html,
        what_was_done=[("paragraph", RichText(source.answer_html))],
        live=False,
        owner=user,
        content_owner=user,
        source_key=source.key,
        source_url=source.url[:300],
        source_title=source.title[:300],
        source_note=source.note[:300],
    )
    page.workstreams.add(*Workstream.objects.filter(pk__in=source.workstream_ids))
    try:
        with transaction.atomic():
            index.add_child(instance=page)
            page.save_revision(user=user, log_action=True)
    except IntegrityError:  # the same discussion turned twice at once: the other request won
        existing = SolutionPage.objects.filter(source_key=source.key).first()
        if existing is None:
            raise
        return existing
    return page
