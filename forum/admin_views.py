"""The moderators' screens in the Wagtail admin: the review queue of flagged posts, the
actions on posts and topics, and the log of every action taken."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Min, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from serving.viewer import viewer_for

from . import services
from .models import Consultation, Flag, FlagStatus, ForumGroup, ModerationAction, Post, Topic
from .permissions import is_site_moderator, visible_topics


def _moderators_only(request):
    if not is_site_moderator(viewer_for(request)):
        raise Http404


@never_cache
def review_queue(request):
    _moderators_only(request)
    posts = list(
        Post.objects.filter(flags__status=FlagStatus.OPEN)
        .annotate(
            open_flags=Count("flags", filter=Q(flags__status=FlagStatus.OPEN)),
            first_flagged=Min("flags__created_at", filter=Q(flags__status=FlagStatus.OPEN)),
        )
        .select_related("author", "topic__group")
        .order_by("first_flagged")[:100]
    )
    reasons = {}
    for flag in Flag.objects.filter(post__in=[p.pk for p in posts], status=FlagStatus.OPEN).select_related(
        "reporter"
    ):
        reasons.setdefault(flag.post_id, []).append(flag)
    for post in posts:
        post.open_flag_list = reasons.get(post.pk, [])
    return render(
        request, "forum/admin/review_queue.html", {"posts": posts, "header_title": _("Forum review queue")}
    )


@never_cache
def moderation_log(request):
    _moderators_only(request)
    actions = ModerationAction.objects.select_related("moderator", "topic__group", "post", "concerns")[:200]
    return render(
        request,
        "forum/admin/moderation_log.html",
        {"actions": actions, "header_title": _("Forum moderation log")},
    )


@never_cache
def topic_moderation(request, topic_id):
    _moderators_only(request)
    topic = get_object_or_404(Topic.objects.select_related("group"), pk=topic_id)
    posts = (
        topic.posts.filter(Q(is_hidden=True) | Q(flags__status=FlagStatus.OPEN))
        .select_related("author")
        .distinct()
        .order_by("number")[:100]
    )
    groups = ForumGroup.objects.exclude(pk=topic.group_id).order_by("name")
    return render(
        request,
        "forum/admin/topic.html",
        {"topic": topic, "posts": posts, "groups": groups, "header_title": topic.title},
    )


POST_ACTIONS = {"hide", "restore", "dismiss"}
TOPIC_ACTIONS = {"lock", "unlock", "pin", "unpin"}


@require_POST
def moderate(request):
    _moderators_only(request)
    action = request.POST.get("action", "")
    reason = " ".join(request.POST.get("reason", "").split())[:500]
    moderator = request.user
    if action in POST_ACTIONS:
        post = get_object_or_404(Post.objects.select_related("topic"), pk=request.POST.get("post_id") or 0)
        if action == "dismiss":
            services.flags_dismiss(post=post, moderator=moderator, reason=reason)
            messages.success(request, _("The flags on this post were dismissed."))
        else:
            services.post_set_hidden(post=post, moderator=moderator, hidden=action == "hide", reason=reason)
            messages.success(
                request, _("The post is hidden.") if action == "hide" else _("The post is restored.")
            )
        if request.POST.get("back") == "topic":
            return redirect("forum_moderation:topic", topic_id=post.topic_id)
        return redirect("forum_moderation:queue")
    if action in TOPIC_ACTIONS:
        topic = get_object_or_404(Topic, pk=request.POST.get("topic_id") or 0)
        if action in ("lock", "unlock"):
            services.topic_set_locked(
                topic=topic, moderator=moderator, locked=action == "lock", reason=reason
            )
        else:
            services.topic_set_pinned(topic=topic, moderator=moderator, pinned=action == "pin", reason=reason)
        messages.success(request, _("Done: %(what)s.") % {"what": topic.title})
        return redirect("forum_moderation:topic", topic_id=topic.pk)
    if action == "move":
        topic = get_object_or_404(Topic.objects.select_related("group"), pk=request.POST.get("topic_id") or 0)
        group_id = request.POST.get("group_id", "")
        group = ForumGroup.objects.filter(pk=int(group_id)).first() if group_id.isdigit() else None
        if group is None:
            messages.error(request, _("Choose the group to move the topic to."))
            return redirect("forum_moderation:topic", topic_id=topic.pk)
        try:
            services.topic_move(topic=topic, moderator=moderator, group=group, reason=reason)
        except services.ForumError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("Moved to %(group)s: %(what)s.") % {"group": group.name, "what": topic.title}
            )
        return redirect("forum_moderation:topic", topic_id=topic.pk)
    messages.error(request, _("Choose an action."))
    return redirect("forum_moderation:queue")


# Consultations: the editor's view of the comments, by clause ----------------------------------

COMMENTS_PER_PAGE = 100


def _consultations_for(request):
    """Document editors, for the consultation threads they may read (a private group's only
    for its members)."""
    viewer = viewer_for(request)
    if not viewer.can_edit_documents:
        raise Http404
    return Consultation.objects.filter(topic__in=visible_topics(viewer, include_hidden=True).values("pk"))


@never_cache
def consultation_list(request):
    consultations = (
        _consultations_for(request)
        .select_related("document", "topic")
        .annotate(comments=Count("topic__posts", filter=Q(topic__posts__is_notice=False)))[:200]
    )
    return render(
        request,
        "forum/admin/consultations.html",
        {"consultations": consultations, "header_title": _("Consultations")},
    )


@never_cache
def consultation_comments(request, consultation_id):
    """Every comment, grouped by clause (the whole document first); ``?clause=`` narrows to one."""
    from .consultation import clause_counts, clause_rows, document_clauses

    consultation = get_object_or_404(
        _consultations_for(request).select_related("document", "topic__group"), pk=consultation_id
    )
    texts = document_clauses(consultation.document_id)
    rows = clause_rows(texts, clause_counts(consultation.topic_id))
    comments = (
        Post.objects.filter(topic_id=consultation.topic_id, is_notice=False)
        .select_related("author__organisation")
        .order_by(F("clause").asc(nulls_first=True), "number")
    )
    chosen = request.GET.get("clause", "")
    if chosen == "whole":
        comments = comments.filter(clause__isnull=True)
    elif chosen.isdigit():
        comments = comments.filter(clause=int(chosen))
    elif chosen:
        messages.error(request, _("Choose a clause from the list."))
        chosen = ""
    page_obj = Paginator(comments, COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    for post in page_obj.object_list:
        post.clause_text = texts[post.clause - 1] if post.clause and post.clause <= len(texts) else ""
    return render(
        request,
        "forum/admin/consultation.html",
        {
            "consultation": consultation,
            "rows": rows,
            "page_obj": page_obj,
            "chosen": chosen,
            "header_title": consultation.topic.title,
        },
    )
