"""The forum's pages. Every view is wrapped by ``forum_view`` (see ``forum.urls``): signed-in,
approved members only, and every answer marked private and never stored (forum pages differ
per person: memberships, read positions, their own posts)."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from serving.refusals import members_only
from serving.version import VersionedMemo
from serving.viewer import viewer_for

from . import consultation as consultations
from . import kept, referrals, selectors, services, solutions
from .feeds import feed_url
from .forms import (
    ActionForm,
    ColleagueProfileForm,
    ConsultationReplyForm,
    ContactForm,
    EditForm,
    FlagForm,
    MeetingForm,
    ReferralForm,
    ReferralStatusForm,
    ReplyForm,
    TopicForm,
    new_form_token,
)
from .models import (
    ActionStatus,
    ColleagueProfile,
    Draft,
    GroupAction,
    GroupKind,
    JoinRequest,
    Meeting,
    Notification,
    Post,
    Referral,
    ReferralStatus,
    Subscription,
    Topic,
    TopicKind,
)
from .permissions import (
    group_access,
    is_supplier_staff,
    kept_access,
    may_see_group_id,
    may_use_forum,
    visible_groups,
    visible_posts,
    visible_topics,
)
from .rendering import quote
from .selectors import POSTS_PER_PAGE


def forum_view(view):
    """Anonymous visitors are sent to sign in; people not (yet) approved get the members-only
    explanation; every response is ``Cache-Control: private, no-store``."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        viewer = viewer_for(request)
        if not viewer.is_authenticated:
            response = redirect_to_login(request.get_full_path())
        elif not may_use_forum(viewer):
            response = members_only(request)
        else:
            response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    wrapped.forum_view = True
    return wrapped


def _page_number(request, last: int) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    return min(max(number, 1), max(last, 1))


def _group_or_404(request, slug):
    viewer = viewer_for(request)
    group = get_object_or_404(visible_groups(viewer).select_related("scheme"), slug=slug)
    return group_access(viewer, group)


def _topic_or_404(request, topic_id):
    viewer = viewer_for(request)
    topic = selectors.topic_for(viewer, topic_id)
    if topic is None:
        raise Http404
    access = group_access(viewer, topic.group)
    if not access.may_see_topic(topic):
        raise Http404
    return topic, access


def _kept_topic_or_404(request, topic_id):
    """``_topic_or_404`` from kept facts, for the topic page: the topic's row (kept per topic
    version), its group (kept per content version) and the reader's role (kept per person,
    forgotten when one of their memberships changes), no query when warm. The reader's own
    facts on the topic are read by the page (``selectors.topic_reader``)."""
    viewer = viewer_for(request)
    topic = kept.kept_topic(topic_id)
    group = None if topic is None else kept.kept_group(viewer.content_version, pk=topic.group_id)
    access = None if group is None else kept_access(viewer, group)
    if access is None or not access.may_see_topic(topic):
        raise Http404
    topic.group = group
    return topic, access


def _post_or_404(request, post_id):
    post = get_object_or_404(visible_posts(viewer_for(request)).only("pk", "topic_id"), pk=post_id)
    topic, access = _topic_or_404(request, post.topic_id)
    return get_object_or_404(Post.objects.select_related("author"), pk=post.pk), topic, access


def _page_of(number: int) -> int:
    return (max(number, 1) - 1) // POSTS_PER_PAGE + 1


def _post_url(topic, number: int) -> str:
    return f"{reverse('forum:topic', args=[topic.pk])}?page={_page_of(number)}#post-{number}"


# Groups ------------------------------------------------------------------------------------


def group_list(request):
    from schemes.models import Workstream

    groups = list(selectors.group_listing(viewer_for(request)))
    watched = Subscription.objects.filter(user_id=request.user.pk, workstream=OuterRef("pk"))
    workstreams = Workstream.objects.annotate(watching=Exists(watched)).order_by("name")
    return render(
        request,
        "forum/group_list.html",
        {
            "mine": [g for g in groups if g.my_role],
            "others": [g for g in groups if not g.my_role],
            "workstreams": workstreams,
        },
    )


def group_detail(request, slug):
    viewer = viewer_for(request)
    # The group's row (kept per content version) and the reader's role (kept per person):
    # ``visible_groups``' rule without a query when warm (``permissions.kept_access``).
    group = kept.kept_group(viewer.content_version, slug=slug)
    access = None if group is None else kept_access(viewer, group)
    if access is None:
        raise Http404
    # The list as everyone who may see the group sees it, kept per listings version; how long
    # ago and what the reader has not read are added here.
    listing = kept.kept_topics(request, group, request.GET.get("page"), include_hidden=access.leads)
    reader = selectors.group_reader(
        request.user.pk,
        group.pk,
        [topic.pk for topic in listing.pieces],
        member=access.is_member,
        leads=access.leads,
    )
    rows = topic_rows_html(
        (topic, _unread_mark(access, reader.read.get(topic.pk), topic.post_count)) for topic in listing.pieces
    )
    extras = kept.group_extras(group.pk)
    context = {
        "group": group,
        "access": access,
        "listing": listing,
        "rows": rows,
        "join_requested": access.may_join and reader.join_requested,
        "pending_requests": reader.pending_requests,
        "watching": access.is_member and reader.watching,
        "feed_url": None if group.is_private else feed_url(request.user, group),
        "open_actions": extras.open_actions,
        "last_meeting": extras.last_meeting,
    }
    return render(request, "forum/group_detail.html", context)


def topic_rows_html(rows) -> SafeString:
    """The kept rows of a group's topics with the reader's part put in: how long ago the last
    post was, and "New" or a link to the first unread post. Joined here rather than in the
    template: a loop of translations and tags cost more than the rest of the page."""
    now = timezone.now()
    last_post = _("last post %(when)s ago")
    new = format_html(" · <strong>{}</strong>", _("New"))
    first_unread = _("First unread post")
    parts = []
    for topic, mark in rows:
        parts.append(topic.head_html)
        parts.append(escape(" · " + last_post % {"when": timesince(topic.last_posted_at, now)}))
        if mark == "new":
            parts.append(new)
        elif mark == "unread":
            parts.append(
                format_html(
                    ' · <a href="{}">{}<span class="visually-hidden"> {}</span></a>',
                    reverse("forum:topic_unread", args=[topic.pk]),
                    first_unread,
                    _("in %(title)s") % {"title": topic.title},
                )
            )
        parts.append(topic.tail_html)
    return mark_safe("".join(parts))


def _unread_mark(access, last_read: int | None, post_count: int) -> str | None:
    """ "new" (never opened), "unread" (new posts since) or None, for members."""
    if not access.is_member:
        return None
    if last_read is None:
        return "new"
    return "unread" if last_read < post_count else None


@require_POST
def group_join(request, slug):
    access = _group_or_404(request, slug)
    try:
        outcome = services.group_join(group=access.group, user=request.user)
    except services.ForumError as exc:
        messages.error(request, str(exc))
    else:
        if isinstance(outcome, JoinRequest):
            messages.success(
                request, _("Your request to join has been sent to the group's chair and moderators.")
            )
        else:
            messages.success(request, _("You have joined %(group)s.") % {"group": access.group.name})
    return redirect(access.group.get_absolute_url())


@require_POST
def group_leave(request, slug):
    access = _group_or_404(request, slug)
    try:
        services.group_leave(group=access.group, user=request.user)
    except services.ForumError as exc:
        messages.error(request, str(exc))
        return redirect(access.group.get_absolute_url())
    messages.success(request, _("You have left %(group)s.") % {"group": access.group.name})
    if access.group.is_private:
        return redirect("forum:groups")
    return redirect(access.group.get_absolute_url())


@require_POST
def group_watch(request, slug):
    access = _group_or_404(request, slug)
    watch = request.POST.get("watch") == "1"
    try:
        services.group_watch(group=access.group, user=request.user, watch=watch)
    except services.ForumError as exc:
        messages.error(request, str(exc))
    else:
        if watch:
            messages.success(request, _("You are watching this group: every reply in it will notify you."))
        else:
            messages.success(request, _("You no longer watch this group."))
    return redirect(access.group.get_absolute_url())


def join_requests(request, slug):
    access = _group_or_404(request, slug)
    if not access.leads:
        raise Http404
    pending = list(selectors.pending_join_requests(access.group)[:200])
    return render(request, "forum/join_requests.html", {"group": access.group, "pending": pending})


@require_POST
def join_request_decide(request, slug, request_id):
    access = _group_or_404(request, slug)
    if not access.leads:
        raise Http404
    join_request = get_object_or_404(
        JoinRequest.objects.select_related("user"), pk=request_id, group=access.group
    )
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        messages.error(request, _("Choose approve or decline."))
        return redirect("forum:join_requests", slug=slug)
    try:
        services.join_request_decide(
            join_request=join_request, decider=request.user, approve=decision == "approve"
        )
    except services.ForumError as exc:
        messages.error(request, str(exc))
    else:
        template = (
            _("%(name)s is now a member.") if decision == "approve" else _("%(name)s's request was declined.")
        )
        messages.success(request, template % {"name": join_request.user})
    return redirect("forum:join_requests", slug=slug)


# Meetings and actions ----------------------------------------------------------------------

MEETINGS_PER_PAGE = 10


def group_meetings(request, slug):
    """A group's meetings (agenda, minutes, attendance) and action log; its chair and
    moderators record meetings and actions here."""
    access = _group_or_404(request, slug)
    group = access.group
    members = selectors.group_members(group) if access.leads else ()
    meeting_form, action_form = MeetingForm(members=members), ActionForm(members=members)
    if request.method == "POST":
        if not access.leads:
            raise Http404
        which = request.POST.get("form")
        form = (MeetingForm if which == "meeting" else ActionForm)(request.POST, members=members)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if which == "meeting":
                    services.meeting_record(
                        group=group,
                        recorded_by=request.user,
                        held_on=data["held_on"],
                        agenda=data["agenda"],
                        minutes=data["minutes"],
                        attendee_ids=data["attendees"],
                    )
                else:
                    services.action_add(
                        group=group, what=data["what"], owner_id=data["owner"], due_on=data["due_on"]
                    )
            except services.ForumError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("The meeting is recorded.") if which == "meeting" else _("The action is added."),
                )
                return redirect("forum:meetings", slug=slug)
        if which == "meeting":
            meeting_form = form
        else:
            action_form = form
    page_obj = Paginator(
        Meeting.objects.filter(group=group).prefetch_related("attendees").order_by("-held_on", "-pk"),
        MEETINGS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {
        "group": group,
        "access": access,
        "current": _("Meetings and actions"),
        "page_obj": page_obj,
        "meetings": page_obj.object_list,
        "actions": list(
            GroupAction.objects.filter(group=group)
            .select_related("owner")
            .order_by("status", F("due_on").asc(nulls_last=True), "pk")[:100]
        ),
        "statuses": ActionStatus.choices,
        "meeting_form": meeting_form if access.leads else None,
        "action_form": action_form if access.leads else None,
        "form": meeting_form if meeting_form.errors else action_form,
    }
    response = render(request, "forum/meetings.html", context)
    if request.method == "POST":
        response.status_code = 400
    return response


@require_POST
def action_status(request, slug, action_id):
    access = _group_or_404(request, slug)
    if not access.leads:
        raise Http404
    action = get_object_or_404(GroupAction, pk=action_id, group=access.group)
    try:
        services.action_set_status(action=action, status=request.POST.get("status", ""))
    except services.ForumError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("“%(what)s” is now %(status)s.")
            % {"what": action.what, "status": action.get_status_display().lower()},
        )
    return redirect("forum:meetings", slug=access.group.slug)


# Find a colleague --------------------------------------------------------------------------

COLLEAGUES_PER_PAGE = 25


def colleagues(request):
    """The members' directory: members who chose to be listed, searchable by name,
    organisation, role and what they can help with, and by workstream. Members only (every
    forum view is); e-mail addresses only of those who chose to show them."""
    from schemes.models import Workstream

    query = " ".join(request.GET.get("q", "").split())[:100]
    workstream = request.GET.get("workstream", "")
    page_obj = Paginator(selectors.listed_colleagues(query, workstream), COLLEAGUES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page_obj,
        "profiles": page_obj.object_list,
        "query": query,
        "search_query": query,
        "workstream": workstream,
        "workstreams": Workstream.objects.order_by("name"),
        "current": _("Find a colleague"),
        "mine": ColleagueProfile.objects.filter(user_id=request.user.pk, listed=True).exists(),
    }
    return render(request, "forum/colleagues.html", context)


def colleague_me(request):
    profile = ColleagueProfile.objects.filter(user_id=request.user.pk).first() or ColleagueProfile(
        user=request.user
    )
    form = ColleagueProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request,
            _("You are listed in the members' directory.")
            if form.instance.listed
            else _("Your entry is saved; you are not listed."),
        )
        return redirect("forum:colleagues")
    return render(request, "forum/colleague_form.html", {"form": form, "current": _("Your entry")})


def colleague_contact(request, profile_id):
    profile = get_object_or_404(selectors.listed_colleagues("", ""), pk=profile_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.colleague_contact(
                sender=request.user,
                profile=profile,
                body=form.cleaned_data["body"],
                site_url=request.build_absolute_uri("/"),
            )
        except services.ForumError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, _("Your message has been sent to %(name)s.") % {"name": profile.user})
            return redirect("forum:colleagues")
    response = render(
        request, "forum/colleague_contact.html", {"profile": profile, "form": form, "current": _("Contact")}
    )
    if form.errors:
        response.status_code = 400
    return response


# Workstreams -------------------------------------------------------------------------------


def _workstream_or_404(slug):
    from schemes.models import Workstream

    return get_object_or_404(Workstream, slug=slug)


def workstream_topics(request, slug):
    """A workstream's topics across the groups the person may read, and watching it."""
    workstream = _workstream_or_404(slug)
    viewer = viewer_for(request)
    page_obj = Paginator(
        selectors.topics_of_workstream(viewer, workstream), selectors.TOPICS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "workstream": workstream,
        "page_obj": page_obj,
        "topics": page_obj.object_list,
        "current": workstream.name,
        "watching": Subscription.objects.filter(user_id=request.user.pk, workstream=workstream).exists(),
    }
    return render(request, "forum/workstream_topics.html", context)


@require_POST
def workstream_watch(request, slug):
    workstream = _workstream_or_404(slug)
    watch = request.POST.get("watch") == "1"
    services.workstream_watch(workstream=workstream, user=request.user, watch=watch)
    if watch:
        messages.success(
            request,
            _("You are watching %(name)s: new topics on it will notify you.") % {"name": workstream.name},
        )
    else:
        messages.success(request, _("You no longer watch %(name)s.") % {"name": workstream.name})
    return redirect("forum:workstream", slug=workstream.slug)


# Topics ------------------------------------------------------------------------------------


def topic_create(request, slug):
    access = _group_or_404(request, slug)
    group = access.group
    if not access.may_post:
        messages.error(request, _("Only members of this group can start topics. Join the group first."))
        return redirect(group.get_absolute_url())
    error = None
    if request.method == "POST":
        form = TopicForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                topic = services.topic_create(
                    group=group,
                    author=request.user,
                    title=data["title"],
                    kind=data["kind"],
                    body=data["body"],
                    workstreams=data["workstreams"],
                    form_token=data["form_token"],
                )
            except services.ForumError as exc:
                error = str(exc)
            else:
                services.draft_discard(user=request.user, group=group)
                messages.success(request, _("Your topic has been started."))
                return redirect(topic.get_absolute_url())
        _keep_draft(request, group=group)
    else:
        initial = {"form_token": new_form_token()}
        draft = Draft.objects.filter(user=request.user, group=group).first()
        if draft is not None:
            initial.update(title=draft.title, body=draft.body)
        form = TopicForm(initial=initial)
    if error:
        form.add_error(None, error)
    has_draft = request.method == "GET" and bool(form.initial.get("body") or form.initial.get("title"))
    return render(request, "forum/topic_form.html", {"group": group, "form": form, "has_draft": has_draft})


def _consultation(topic):
    try:
        return topic.consultation
    except ObjectDoesNotExist:
        return None


def _referral(topic):
    try:
        return topic.referral
    except ObjectDoesNotExist:
        return None


def _reply_form(topic, consultation, data=None, initial=None):
    """A consultation thread's reply names the clause it is on (one query for the clauses)."""
    if consultation is None:
        return ReplyForm(data, initial=initial)
    texts = consultations.document_clauses(consultation.document_id)
    return ConsultationReplyForm(data, initial=initial, clauses=texts)


def _reply_initial(topic) -> dict:
    """A new form token, and the member's draft if they have one."""
    initial = {"form_token": new_form_token()}
    if topic.draft_body:
        initial["body"] = topic.draft_body
    if topic.draft_clause:
        initial["clause"] = topic.draft_clause
    return initial


# Stands for the form's token in a kept reply form (tokens are URL-safe: no such word).
FORM_TOKEN_MARK = "form-token-goes-here"
# Reply forms, one per topic read: their own per-worker memo, so that many topics never empty
# the one that keeps every other page's work (serving.version.memo clears itself when full).
reply_forms = VersionedMemo(size=256)


def _reply_form_html(request, topic, consultation) -> SafeString:
    """The reply form on a topic's page. Without a draft it is the same for every reader but for
    its token, so it is rendered once per content version, topic and language (a form's widgets
    cost more than the rest of the page) and the reader's new token put in; with a draft, it is
    rendered with it."""
    initial = _reply_initial(topic)
    if set(initial) != {"form_token"}:
        return mark_safe(str(_reply_form(topic, consultation, initial=initial)))
    document_id = consultation.document_id if consultation is not None else 0
    key = f"forum:reply-form:{viewer_for(request).content_version}:{topic.pk}:{document_id}:{get_language()}"
    html = reply_forms.get_or_set(
        key,
        lambda: str(_reply_form(topic, consultation, initial={"form_token": FORM_TOKEN_MARK})),
        60 * 60,
    )
    return mark_safe(html.replace(FORM_TOKEN_MARK, escape(initial["form_token"])))


def _keep_draft(request, **target) -> None:
    """A post that failed keeps what was written (nothing is lost, even if the page is left)."""
    try:
        services.draft_save(
            user=request.user,
            body=request.POST.get("body", ""),
            title=request.POST.get("title", ""),
            clause=_clause_or_none(request.POST.get("clause", "")),
            **target,
        )
    except services.ForumError:
        pass


def _clause_or_none(value: str):
    return int(value) if value.isdigit() else None


def _draft_saved(request, redirect_to: str, error: str | None):
    """The answer to saving a draft: a short status for htmx's autosave, else back to the form."""
    if request.htmx:
        text = error or _("Draft saved at %(time)s.") % {"time": timezone.localtime().strftime("%H:%M")}
        return HttpResponse(text, content_type="text/plain; charset=utf-8", status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your draft is saved. It will be here when you come back."))
    return redirect(redirect_to)


@require_POST
def reply_draft(request, topic_id):
    topic, access = _topic_or_404(request, topic_id)
    if not access.may_reply(topic):
        raise Http404
    error = None
    try:
        services.draft_save(
            user=request.user,
            topic=topic,
            body=request.POST.get("body", ""),
            clause=_clause_or_none(request.POST.get("clause", "")),
        )
    except services.ForumError as exc:
        error = str(exc)
    return _draft_saved(request, reverse("forum:reply", args=[topic.pk]), error)


@require_POST
def topic_draft(request, slug):
    access = _group_or_404(request, slug)
    if not access.may_post:
        raise Http404
    error = None
    try:
        services.draft_save(
            user=request.user,
            group=access.group,
            body=request.POST.get("body", ""),
            title=request.POST.get("title", ""),
        )
    except services.ForumError as exc:
        error = str(exc)
    return _draft_saved(request, reverse("forum:topic_create", args=[access.group.slug]), error)


def topic_detail(request, topic_id):
    topic, access = _kept_topic_or_404(request, topic_id)
    last_page = _page_of(topic.post_count)
    page = _page_number(request, last_page)
    consultation, referral = _consultation(topic), _referral(topic)
    # The posts as everyone who may see them sees them, kept per topic version; the reader's
    # own (actions, "helpful", notes to the author) are added as the page renders.
    posts = kept.kept_posts(request, topic, page, leads=access.leads, consultation=consultation is not None)
    reader = selectors.topic_reader(request.user.pk, topic.pk, [piece.pk for piece in posts])
    topic.last_read, topic.watching = reader.last_read, reader.watching
    topic.draft_body, topic.draft_clause = reader.draft_body, reader.draft_clause
    if posts and access.is_member and (reader.last_read or 0) < posts[-1].number:
        # Only when it moves: reading an earlier page again writes nothing.
        services.topic_mark_read(
            topic=topic, user=request.user, number=posts[-1].number, known=topic.last_read
        )
    reply_form = _reply_form_html(request, topic, consultation) if access.may_reply(topic) else None
    context = {
        "topic": topic,
        "group": topic.group,
        "access": access,
        "posts": _shown_posts(
            request, posts, topic, access, reply=reply_form is not None, helpful=reader.helpful
        ),
        "page": page,
        "last_page": last_page,
        "pages": range(1, last_page + 1) if last_page <= 12 else None,
        "reply_form": reply_form,
        "may_accept": access.may_accept(topic),
        "watching": topic.watching,
        "unread_from": (topic.last_read or 0) + 1 if (topic.last_read or 0) < topic.post_count else None,
        "consultation": consultation,
        "referral": referral,
        "referral_events": referrals.referral_events(referral.pk) if referral else (),
        "may_refer": referral is None and access.may_refer(topic),
        "knowledge": solutions.topic_solution(request, topic),  # into the knowledge base
        "poll_seconds": LIVE_POLL_SECONDS,
        # What moderators did to the topic itself (locked, moved...), shown to its author.
        "topic_actions": kept.topic_moderation(topic.pk) if topic.author_id == request.user.pk else (),
    }
    return render(request, "forum/topic_detail.html", context)


LIVE_POLL_SECONDS = 15


def _shown_posts(request, pieces, topic, access, *, reply: bool, helpful: set | None = None) -> list[str]:
    """Each post as this reader sees it: the kept HTML with their own actions (``helpful``: the
    posts they found helpful, read here if not given)."""
    if helpful is None:
        helpful = selectors.helpful_among(viewer_for(request), [piece.pk for piece in pieces])
    csrf_token, may_accept = get_token(request), access.may_accept(topic)
    return [
        kept.shown_post(
            piece,
            user_id=request.user.pk,
            reply=reply,
            may_post=access.may_post,
            helpful=piece.pk in helpful,
            may_accept=may_accept,
            accepted_id=topic.accepted_post_id,
            csrf_token=csrf_token,
        )
        for piece in pieces
    ]


def topic_updates(request, topic_id):
    """Live updates on a topic's last page. htmx asks every 15 seconds with the number of the
    last post shown (``after``): nothing new reads no table (kept facts, see ``forum.kept``;
    the middleware still reads the session and the person) and answers 204 (or 304 to a
    request that names the current ETag); new posts come back as list items appended to the
    page, with the poller moved on. Without JavaScript the poller is a link: it goes to the
    first new post, or back to the topic saying there is none yet."""
    viewer = viewer_for(request)
    # Kept facts (the topic's group, hidden, post count; the person's memberships), so that
    # "nothing new" reads no table; every change to them is retired at once (forum.kept).
    state = kept.topic_state(topic_id)
    if state is None or state.is_hidden or not may_see_group_id(viewer, state.group_id):
        raise Http404
    try:
        after = int(request.GET.get("after", ""))
    except ValueError:
        after = -1
    if after < 0:
        return HttpResponseBadRequest(_("Say which post you have read up to: ?after= and its number."))
    count = state.post_count
    etag = f'"topic-{topic_id}-{count}"'
    if not request.htmx:
        topic = Topic(pk=topic_id)
        if count <= after:
            messages.info(request, _("No new replies yet."))
            return redirect(_post_url(topic, max(count, 1)))
        return redirect(_post_url(topic, after + 1))
    if count <= after or request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304 if request.headers.get("If-None-Match") == etag else 204)
        response["ETag"] = etag
        return response
    topic, access = _topic_or_404(request, topic_id)
    consultation = _consultation(topic)
    found = selectors.posts_in_range(topic.pk, after + 1)
    posts = kept.post_pieces(found, topic=topic, consultation=consultation is not None, leads=access.leads)
    if posts and access.is_member:
        services.topic_mark_read(
            topic=topic, user=request.user, number=posts[-1].number, known=topic.last_read
        )
    context = {
        "topic": topic,
        "access": access,
        "posts": _shown_posts(request, posts, topic, access, reply=access.may_reply(topic)),
        "reply_form": access.may_reply(topic),
        "may_accept": access.may_accept(topic),
        "consultation": consultation,
        "after": posts[-1].number if posts else after,
        "new_count": len(posts),
        "poll_seconds": LIVE_POLL_SECONDS,
    }
    response = render(request, "forum/live_updates.html", context)
    response["ETag"] = etag
    return response


def topic_first_unread(request, topic_id):
    topic, _access = _topic_or_404(request, topic_id)
    number = min((topic.last_read or 0) + 1, max(topic.post_count, 1))
    return redirect(_post_url(topic, number))


def post_detail(request, post_id):
    post, topic, _access = _post_or_404(request, post_id)
    return redirect(_post_url(topic, post.number))


def topic_reply(request, topic_id):
    topic, access = _topic_or_404(request, topic_id)
    consultation = _consultation(topic)
    if request.method == "POST":
        form = _reply_form(topic, consultation, data=request.POST)
        if not access.may_post:
            messages.error(request, _("Only members of this group can reply. Join the group first."))
            return redirect(topic.get_absolute_url())
        if topic.is_locked:
            messages.error(request, _("This topic is locked: no new replies can be added."))
            return redirect(topic.get_absolute_url())
        if form.is_valid():
            data = form.cleaned_data
            try:
                if consultation is not None:
                    post = consultations.consultation_comment(
                        consultation=consultation,
                        author=request.user,
                        body=data["body"],
                        clause=data["clause"],
                        form_token=data["form_token"],
                    )
                else:
                    post = services.post_create(
                        topic=topic, author=request.user, body=data["body"], form_token=data["form_token"]
                    )
            except services.ForumError as exc:
                form.add_error(None, str(exc))
            else:
                services.draft_discard(user=request.user, topic=topic)
                messages.success(request, _("Your reply has been posted."))
                return redirect(_post_url(topic, post.number))
        _keep_draft(request, topic=topic)
    else:
        if not topic.is_locked and not access.may_post:
            # The group is visible to them (or this would be a 404): say how to take part.
            messages.error(request, _("Only members of this group can reply. Join the group first."))
            return redirect(topic.group.get_absolute_url())
        if not access.may_reply(topic):
            raise Http404
        initial = _reply_initial(topic)
        quoted_id = request.GET.get("quote", "")
        if quoted_id.isdigit():
            quoted = (
                Post.objects.filter(topic=topic, pk=int(quoted_id), is_hidden=False)
                .select_related("author")
                .first()
            )
            if quoted is not None:
                initial["body"] = (initial.get("body", "") + "\n\n" if initial.get("body") else "") + quote(
                    quoted.body, str(quoted.author or _("A former member"))
                )
                if quoted.clause:
                    initial["clause"] = quoted.clause
        clause = request.GET.get("clause", "")
        if consultation is not None and clause.isdigit():
            initial["clause"] = int(clause)
        form = _reply_form(topic, consultation, initial=initial)
    return render(
        request,
        "forum/reply_form.html",
        {"topic": topic, "group": topic.group, "form": form, "consultation": consultation},
    )


def consultation_document(request, topic_id):
    """From a consultation thread to the document's page in the library (which checks, as
    ever, whether the person may read it)."""
    from documents.models import DocumentLibraryPage

    topic, _access = _topic_or_404(request, topic_id)
    consultation = _consultation(topic)
    library = DocumentLibraryPage.objects.live().first()
    if consultation is None or library is None:
        raise Http404
    return redirect(library.document_url(consultation.document))


# Referrals ---------------------------------------------------------------------------------


def topic_refer(request, topic_id):
    topic, access = _topic_or_404(request, topic_id)
    refusal = None
    if _referral(topic) is not None:
        refusal = _("This topic has already been referred to the supplier.")
    elif topic.kind != TopicKind.TROUBLESHOOTING:
        refusal = _("Only troubleshooting topics can be referred to the supplier.")
    elif not access.leads:
        refusal = _("Only the group's chair or moderators can refer a topic to the supplier.")
    if refusal:
        messages.error(request, refusal)
        return redirect(topic.get_absolute_url())
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = referrals.referral_create(
                topic=topic, referred_by=request.user, summary=form.cleaned_data["summary"]
            )
        except services.ForumError as exc:
            form.add_error("summary", str(exc))
        else:
            messages.success(
                request,
                _("Referred to the supplier as %(reference)s. Its status will show on this topic.")
                % {"reference": referral.reference},
            )
            return redirect(topic.get_absolute_url())
    return render(request, "forum/refer_form.html", {"topic": topic, "group": topic.group, "form": form})


def referral_report(request, slug):
    """The national group's report of open referrals by status and age: anyone who may read a
    national best-practice group; counts cover every referral, the list only topics the reader
    may read."""
    access = _group_or_404(request, slug)
    if access.group.kind != GroupKind.NATIONAL:
        raise Http404
    report = referrals.referral_report(visible_topics(viewer_for(request)))
    return render(
        request,
        "forum/referral_report.html",
        {"group": access.group, "current": _("Open referrals"), "bands": referrals.AGE_BANDS, **report},
    )


def _supplier_only(request):
    if not is_supplier_staff(viewer_for(request)):
        raise Http404


def referral_queue(request):
    _supplier_only(request)
    status = request.GET.get("status", "")
    paginator = Paginator(referrals.referral_queue(status), referrals.REFERRALS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "forum/referral_queue.html",
        {
            "page_obj": page_obj,
            "referrals": page_obj.object_list,
            "status": status,
            "statuses": ReferralStatus.choices,
            "today": timezone.now(),
        },
    )


def referral_detail(request, referral_id):
    viewer = viewer_for(request)
    referral = get_object_or_404(
        Referral.objects.select_related("topic__group", "referred_by"), pk=referral_id
    )
    if not is_supplier_staff(viewer):
        # Someone who may read the topic is told why; for anyone else it does not exist.
        if request.method == "POST" and visible_topics(viewer).filter(pk=referral.topic_id).exists():
            messages.error(request, _("Only the supplier's staff can change a referral's status."))
            return redirect(referral.topic.get_absolute_url())
        raise Http404
    form = ReferralStatusForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        try:
            referral = referrals.referral_set_status(
                referral=referral,
                status=form.cleaned_data["status"],
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except services.ForumError as exc:
            form.add_error("status", str(exc))
        else:
            messages.success(
                request,
                _("%(reference)s is now “%(status)s”. The topic's watchers have been told.")
                % {"reference": referral.reference, "status": referral.get_status_display()},
            )
            return redirect(referral.get_absolute_url())
    opening = Post.objects.filter(topic_id=referral.topic_id, number=1, is_hidden=False).first()
    context = {
        "referral": referral,
        "opening": opening,
        "events": referrals.referral_events(referral.pk),
        "form": form if referral.next_statuses else None,
    }
    response = render(request, "forum/referral_detail.html", context)
    if form.errors:
        response.status_code = 400
    return response


# Posts -------------------------------------------------------------------------------------


def post_edit(request, post_id):
    post, topic, access = _post_or_404(request, post_id)
    if not access.may_edit(post):
        raise Http404
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                services.post_edit(post=post, editor=request.user, body=form.cleaned_data["body"])
            except services.ForumError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Your post has been updated. Its earlier wording is kept in its history.")
                )
                return redirect(_post_url(topic, post.number))
    else:
        form = EditForm(initial={"body": post.body})
    return render(
        request, "forum/edit_form.html", {"post": post, "topic": topic, "group": topic.group, "form": form}
    )


@require_POST
def post_helpful(request, post_id):
    post, topic, access = _post_or_404(request, post_id)
    if post.is_hidden:
        raise Http404
    try:
        if services.post_mark_helpful(post=post, user=request.user):
            messages.success(request, _("Thank you: you marked this post as helpful."))
        else:
            messages.info(request, _("You have already marked this post as helpful."))
    except services.ForumError as exc:
        messages.error(request, str(exc))
    return redirect(_post_url(topic, post.number))


@require_POST
def post_accept(request, post_id):
    post, topic, access = _post_or_404(request, post_id)
    if not access.may_accept(topic):
        raise Http404
    try:
        services.topic_accept_answer(topic=topic, post=post)
    except services.ForumError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("This reply is now the accepted answer."))
    return redirect(_post_url(topic, post.number))


def post_flag(request, post_id):
    post, topic, access = _post_or_404(request, post_id)
    if post.is_hidden:
        raise Http404
    if request.method == "POST":
        form = FlagForm(request.POST)
        if form.is_valid():
            try:
                services.post_flag(post=post, reporter=request.user, reason=form.cleaned_data["reason"])
            except services.ForumError as exc:
                form.add_error("reason", str(exc))
            else:
                messages.success(request, _("Thank you: the moderators will review this post."))
                return redirect(_post_url(topic, post.number))
    else:
        form = FlagForm()
    return render(
        request, "forum/flag_form.html", {"post": post, "topic": topic, "group": topic.group, "form": form}
    )


@require_POST
def topic_watch(request, topic_id):
    topic, access = _topic_or_404(request, topic_id)
    watch = request.POST.get("watch") == "1"
    services.topic_watch(topic=topic, user=request.user, watch=watch)
    if watch:
        messages.success(request, _("You are watching this topic: replies will notify you."))
    else:
        messages.success(request, _("You no longer watch this topic."))
    return redirect(topic.get_absolute_url())


# Notifications -----------------------------------------------------------------------------


def notifications(request):
    viewer = viewer_for(request)
    items = list(selectors.notifications_for(viewer))
    if request.method == "POST":
        Notification.objects.filter(recipient_id=viewer.user.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        messages.success(request, _("All notifications are marked as read."))
        return redirect("forum:notifications")
    return render(
        request, "forum/notifications.html", {"notifications": items, "question": TopicKind.QUESTION}
    )


# Unsubscribing (no sign-in: the signed link is the authority) --------------------------------


@csrf_exempt  # mail programs POST the one-click link (RFC 8058); the signature guards it
@never_cache
def unsubscribe(request, token):
    from .digests import read_token
    from .digests import unsubscribe as stop_emails

    try:
        user_id, stop = read_token(token)
    except signing.BadSignature:
        response = render(request, "forum/unsubscribe.html", {"invalid": True})
        response.status_code = 400
        return response
    done = False
    if request.method == "POST":
        done = stop_emails(user_id=user_id, stop=stop)
    return render(request, "forum/unsubscribe.html", {"stop": stop, "done": done})
