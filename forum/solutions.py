"""Into the knowledge base: a national editor turns a resolved question (a question with an
accepted answer) into a draft solution page, prefilled, and the two are linked both ways.

The knowledge section offers the service through the ``solution_draft_from_discussion`` hook
(plain data in, the draft page out), so neither app imports the other. The topic keeps the
page (``Topic.solution_page``, a Wagtail page); the page keeps the discussion's address and
title for its editors, and shows "From a discussion in ..." only when the group is open.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.models import Page

from serving.viewer import Viewer, viewer_for

from . import selectors
from .kept import touch_topic
from .models import Post, Topic, TopicKind
from .permissions import group_access
from .services import ForumError

HOOK_NAME = "solution_draft_from_discussion"


def is_resolved(topic: Topic) -> bool:
    return topic.kind == TopicKind.QUESTION and topic.accepted_post_id is not None and not topic.is_hidden


def may_turn_into_solution(viewer: Viewer, topic: Topic) -> bool:
    """National editors (who may publish pages) and superusers, on a resolved question; the
    knowledge section checks its own rule again (adding pages under its index)."""
    return (viewer.can_publish_pages or viewer.is_superuser) and is_resolved(topic)


def _draft_maker():
    makers = hooks.get_hooks(HOOK_NAME)
    if not makers:
        raise ForumError(_("The knowledge base is not available."))
    return makers[-1]()


def topic_turn_into_solution(*, topic: Topic, user) -> int:
    """The id of the draft solution made from ``topic`` (or made before: never two)."""
    with transaction.atomic():
        topic = Topic.objects.select_for_update().select_related("group").get(pk=topic.pk)
        if topic.solution_page_id and Page.objects.filter(pk=topic.solution_page_id).exists():
            return topic.solution_page_id
        if not is_resolved(topic):
            raise ForumError(_("Only a question with an accepted answer can become a solution."))
        posts = {
            post.pk: post
            for post in Post.objects.filter(
                Q(pk=topic.accepted_post_id) | Q(number=1), topic=topic, is_hidden=False
            )
        }
        question = next((p for p in posts.values() if p.number == 1), None)
        answer = posts.get(topic.accepted_post_id)
        if question is None or answer is None:
            raise ForumError(_("The question or its accepted answer has been hidden."))
        group = topic.group
        note = "" if group.is_private else _("From a discussion in the %(group)s") % {"group": group.name}
        make_draft = _draft_maker()
        try:
            page = make_draft(
                user=user,
                key=f"forum.topic:{topic.pk}",
                title=topic.title,
                url=topic.get_absolute_url(),
                note=note,
                question_html=question.body_html,
                answer_html=answer.body_html,
                workstream_ids=list(topic.workstreams.values_list("pk", flat=True)),
            )
        except (PermissionDenied, ValidationError) as refusal:
            message = refusal.messages[0] if isinstance(refusal, ValidationError) else str(refusal)
            raise ForumError(message) from refusal
        Topic.objects.filter(pk=topic.pk).update(solution_page_id=page.pk)
        touch_topic(topic.pk)  # update() sends no signal: the kept topic row is retired
    return page.pk


def topic_solution(request, topic: Topic) -> dict | None:
    """What the topic page says about the knowledge base (``includes/topic_solution.html``):
    the published solution made from it, linked, for those who may see it; the draft, with its
    edit link, for those who edit pages; the button for national editors on a resolved question
    not yet turned; nothing to anyone else. One query, only when there is a solution."""
    viewer = viewer_for(request)
    if not topic.solution_page_id:
        return {"may_turn": True} if may_turn_into_solution(viewer, topic) else None
    page = (
        Page.objects.filter(pk=topic.solution_page_id).only("pk", "title", "live", "path", "url_path").first()
    )
    if page is None:
        return {"may_turn": True} if may_turn_into_solution(viewer, topic) else None
    hidden = viewer.hidden_page_paths
    solution = {"title": page.title, "live": page.live}
    if page.live and not (hidden and page.path.startswith(hidden)):
        solution["url"] = page.get_url(request)
    if viewer.can_edit_pages:
        solution["edit_url"] = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if "url" not in solution and "edit_url" not in solution:
        return None
    return {"solution": solution}


@require_POST
def topic_to_solution(request, topic_id):
    """POST only (CSRF checked by the middleware): the draft is made, or found, and the editor
    taken to it in the Wagtail admin; anyone else is sent back to the topic with a message,
    nothing made (as other refusals on the topic are)."""
    viewer = viewer_for(request)
    topic = selectors.topic_for(viewer, topic_id)
    if topic is None or not group_access(viewer, topic.group).may_see_topic(topic):
        raise Http404
    refusal = None
    if not (viewer.can_publish_pages or viewer.is_superuser):
        refusal = _("Only national editors can turn a question into a solution.")
    elif not is_resolved(topic):
        refusal = _("Only a question with an accepted answer can become a solution.")
    if refusal:
        messages.error(request, refusal)
        return redirect(topic.get_absolute_url())
    try:
        page_id = topic_turn_into_solution(topic=topic, user=request.user)
    except ForumError as refusal:
        messages.error(request, str(refusal))
        return redirect(topic.get_absolute_url())
    messages.success(request, _("The draft solution is ready to edit. It is not published."))
    return redirect(reverse("wagtailadmin_pages:edit", args=[page_id]))
