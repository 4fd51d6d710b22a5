"""The forum's business rules: every change goes through one of these functions.

Views check permissions first (``forum.permissions``); these functions still refuse what
must never happen whatever the caller (posting to a locked topic or as a non-member, an empty
or oversized message, too many posts a minute) with ``ForumError`` and change nothing.
E-mails are queued after the commit (``forum.tasks``).
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .kept import touch_topic
from .models import (
    ActionStatus,
    ColleagueMessage,
    ColleagueProfile,
    Draft,
    Flag,
    FlagStatus,
    ForumGroup,
    GroupAction,
    JoinRequest,
    JoinRequestStatus,
    Meeting,
    Membership,
    ModerationAction,
    ModerationKind,
    Notification,
    NotificationKind,
    Post,
    PostRevision,
    Reaction,
    Role,
    Subscription,
    Topic,
    TopicKind,
    TopicReadState,
)
from .rendering import render_markdown
from .search_source import discussions_changed

MAX_POST_LENGTH = 50_000
MAX_TITLE_LENGTH = 200


def posts_per_minute() -> int:
    return getattr(settings, "FORUM_POSTS_PER_MINUTE", 6)


class ForumError(Exception):
    """A refusal with a message for the person."""


# Groups ------------------------------------------------------------------------------------


def group_join(*, group: ForumGroup, user) -> Membership | JoinRequest:
    """Open groups: a member at once; private groups and groups that ask: a join request."""
    if Membership.objects.filter(group=group, user=user).exists():
        raise ForumError(_("You are already a member of this group."))
    if group.join_by_request or group.is_private:
        pending = JoinRequest.objects.filter(group=group, user=user, status=JoinRequestStatus.PENDING).first()
        if pending:
            return pending
        return JoinRequest.objects.create(group=group, user=user)
    membership, _created = Membership.objects.get_or_create(group=group, user=user)
    return membership


def group_leave(*, group: ForumGroup, user) -> None:
    membership = Membership.objects.filter(group=group, user=user).first()
    if membership is None:
        raise ForumError(_("You are not a member of this group."))
    if (
        membership.role == Role.CHAIR
        and not Membership.objects.filter(group=group, role=Role.CHAIR).exclude(pk=membership.pk).exists()
    ):
        raise ForumError(_("You chair this group: hand the chair to someone else before leaving."))
    with transaction.atomic():
        membership.delete()
        Subscription.objects.filter(user=user, group=group).delete()
        Subscription.objects.filter(user=user, topic__group=group).delete()


def join_request_decide(*, join_request: JoinRequest, decider, approve: bool) -> JoinRequest:
    with transaction.atomic():
        join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        if join_request.status != JoinRequestStatus.PENDING:
            raise ForumError(_("This request has already been decided."))
        join_request.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
        join_request.decided_by = decider
        join_request.decided_at = timezone.now()
        join_request.save(update_fields=["status", "decided_by", "decided_at"])
        if approve:
            Membership.objects.get_or_create(group_id=join_request.group_id, user_id=join_request.user_id)
    return join_request


# Topics and posts --------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise ForumError(_("Enter a message."))
    if len(body) > MAX_POST_LENGTH:
        raise ForumError(
            _("Your message is too long: %(max)s characters at most, it has %(n)s.")
            % {"max": f"{MAX_POST_LENGTH:,}", "n": f"{len(body):,}"}
        )
    return body


def _check_may_post(*, group_id: int, author) -> None:
    if not Membership.objects.filter(group_id=group_id, user=author).exists():
        raise ForumError(_("Only members of this group can post in it. Join the group first."))
    since = timezone.now() - timedelta(minutes=1)
    if Post.objects.filter(author=author, created_at__gte=since).count() >= posts_per_minute():
        raise ForumError(_("You are posting too quickly. Wait a minute, then send your message again."))


def _new_post(
    *, topic: Topic, author, body: str, form_token: str, clause: int | None = None, is_notice: bool = False
) -> Post:
    """Inside a transaction, with the topic row locked: the next number in the topic."""
    now = timezone.now()
    number = topic.post_count + 1
    post = Post.objects.create(
        topic=topic,
        number=number,
        author=author,
        body=body,
        body_html=render_markdown(body),
        form_token=form_token,
        clause=clause,
        is_notice=is_notice,
    )
    Topic.objects.filter(pk=topic.pk).update(post_count=number, last_posted_at=now)
    touch_topic(topic.pk)
    topic.post_count, topic.last_posted_at = number, now
    if author is not None:
        TopicReadState.objects.update_or_create(
            topic=topic, user=author, defaults={"last_read_number": number}
        )
    return post


def topic_create(
    *, group: ForumGroup, author, title: str, kind: str, body: str, workstreams=(), form_token: str = ""
) -> Topic:
    """A topic and its first post. Sending the same form again (``form_token``) returns the
    topic it created the first time."""
    if form_token:
        existing = Topic.objects.filter(author=author, form_token=form_token).first()
        if existing:
            return existing
    title = " ".join((title or "").split())
    if not title:
        raise ForumError(_("Enter a title."))
    if len(title) > MAX_TITLE_LENGTH:
        raise ForumError(_("The title is too long: %(max)s characters at most.") % {"max": MAX_TITLE_LENGTH})
    body = _clean_body(body)
    _check_may_post(group_id=group.pk, author=author)
    try:
        with transaction.atomic():
            topic = Topic.objects.create(
                group=group,
                title=title,
                kind=kind,
                author=author,
                last_posted_at=timezone.now(),
                form_token=form_token,
            )
            topic.workstreams.set(workstreams)
            post = _new_post(topic=topic, author=author, body=body, form_token="")
            Subscription.objects.get_or_create(user=author, topic=topic)
            _notify_for_post(post)
    except IntegrityError:
        # The same form sent twice at once: the other request created it.
        existing = Topic.objects.filter(author=author, form_token=form_token).first() if form_token else None
        if existing is None:
            raise
        return existing
    return topic


def post_create(*, topic: Topic, author, body: str, form_token: str = "", clause: int | None = None) -> Post:
    if form_token:
        existing = Post.objects.filter(author=author, form_token=form_token).first()
        if existing:
            return existing
    body = _clean_body(body)
    _check_may_post(group_id=topic.group_id, author=author)
    try:
        with transaction.atomic():
            locked = Topic.objects.select_for_update().get(pk=topic.pk)
            if locked.is_locked:
                raise ForumError(_("This topic is locked: no new replies can be added."))
            if locked.is_hidden:
                raise ForumError(_("This topic has been hidden by a moderator."))
            post = _new_post(topic=locked, author=author, body=body, form_token=form_token, clause=clause)
            Subscription.objects.get_or_create(user=author, topic=locked)
            _notify_for_post(post)
    except IntegrityError:
        existing = Post.objects.filter(author=author, form_token=form_token).first() if form_token else None
        if existing is None:
            raise
        return existing
    topic.post_count, topic.last_posted_at = locked.post_count, locked.last_posted_at
    return post


def post_edit(*, post: Post, editor, body: str) -> Post:
    """The author edits; what the post said before is kept as a revision, shown under it."""
    if post.author_id != editor.pk:
        raise ForumError(_("You can only edit your own posts."))
    if post.is_hidden:
        raise ForumError(_("A hidden post cannot be edited."))
    body = _clean_body(body)
    if body == post.body:
        return post
    with transaction.atomic():
        PostRevision.objects.create(post=post, body=post.body, body_html=post.body_html, editor=editor)
        post.body = body
        post.body_html = render_markdown(body)
        post.edited_at = timezone.now()
        post.save(update_fields=["body", "body_html", "edited_at"])
    return post


def post_mark_helpful(*, post: Post, user) -> bool:
    """Once per member: False if they had already said so."""
    if post.author_id == user.pk:
        raise ForumError(_("You cannot mark your own post as helpful."))
    try:
        with transaction.atomic():
            Reaction.objects.create(post=post, user=user)
            Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
            touch_topic(post.topic_id)
    except IntegrityError:
        return False
    return True


def topic_accept_answer(*, topic: Topic, post: Post) -> Topic:
    if post.topic_id != topic.pk or post.number == 1 or post.is_hidden:
        raise ForumError(_("Choose a reply in this topic as the answer."))
    topic.accepted_post = post
    topic.save(update_fields=["accepted_post"])
    return topic


def topic_mark_read(*, topic: Topic, user, number: int, known: int | None = None) -> None:
    """Read up to post ``number``, never backwards: one query whatever the state (``known``
    is the position already read, None if the person never opened the topic)."""
    if known is None:
        TopicReadState.objects.bulk_create(
            [TopicReadState(topic=topic, user=user, last_read_number=number)], ignore_conflicts=True
        )
    else:
        TopicReadState.objects.filter(topic=topic, user=user, last_read_number__lt=number).update(
            last_read_number=number
        )


def topic_watch(*, topic: Topic, user, watch: bool) -> None:
    _watch(user=user, target={"topic": topic}, watch=watch)


def group_watch(*, group: ForumGroup, user, watch: bool) -> None:
    """Watching a group: every reply in it notifies (members only: leaving ends it)."""
    if watch and not Membership.objects.filter(group=group, user=user).exists():
        raise ForumError(_("Join the group to watch it."))
    _watch(user=user, target={"group": group}, watch=watch)


def workstream_watch(*, workstream, user, watch: bool) -> None:
    """Watching a workstream: every new topic tagged with it, in a group the watcher may read,
    notifies them (in the app, by e-mail or in their summary, as their profile says)."""
    _watch(user=user, target={"workstream": workstream}, watch=watch)


def _watch(*, user, target: dict, watch: bool) -> None:
    if watch:
        Subscription.objects.get_or_create(user=user, **target)
    else:
        Subscription.objects.filter(user=user, **target).delete()


# Drafts ------------------------------------------------------------------------------------


def draft_save(
    *,
    user,
    topic: Topic | None = None,
    group: ForumGroup | None = None,
    body: str = "",
    title: str = "",
    clause=None,
):
    """Keep what the member is writing (one draft per reply box and per group's new topic).
    Oversized text is refused like a post; an empty draft is discarded."""
    body = (body or "").replace("\r\n", "\n")
    title = (title or "")[: MAX_TITLE_LENGTH * 2]
    if len(body) > MAX_POST_LENGTH:
        raise ForumError(
            _("Your message is too long: %(max)s characters at most, it has %(n)s.")
            % {"max": f"{MAX_POST_LENGTH:,}", "n": f"{len(body):,}"}
        )
    target = {"topic": topic} if topic is not None else {"group": group}
    if not body.strip() and not title.strip():
        Draft.objects.filter(user=user, **target).delete()
        return None
    draft, _created = Draft.objects.update_or_create(
        user=user, **target, defaults={"body": body, "title": title, "clause": clause}
    )
    return draft


def draft_discard(*, user, topic: Topic | None = None, group: ForumGroup | None = None) -> None:
    target = {"topic": topic} if topic is not None else {"group": group}
    Draft.objects.filter(user=user, **target).delete()


# Meetings and actions ----------------------------------------------------------------------

MAX_MEETING_TEXT = 20_000


def _check_members(group: ForumGroup, user_ids) -> None:
    ids = {int(pk) for pk in user_ids}
    if ids and Membership.objects.filter(group=group, user_id__in=ids).count() != len(ids):
        raise ForumError(_("Only members of the group can attend its meetings or own its actions."))


def meeting_record(
    *, group: ForumGroup, recorded_by, held_on, agenda: str = "", minutes: str = "", attendee_ids=()
):
    """A chair or moderator records a meeting (the view checks who); attendees are members."""
    agenda, minutes = (agenda or "").strip(), (minutes or "").strip()
    if not agenda and not minutes:
        raise ForumError(_("Enter the agenda or the minutes."))
    if len(agenda) > MAX_MEETING_TEXT or len(minutes) > MAX_MEETING_TEXT:
        raise ForumError(
            _("The agenda and the minutes are %(max)s characters at most each.")
            % {"max": f"{MAX_MEETING_TEXT:,}"}
        )
    _check_members(group, attendee_ids)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            group=group, held_on=held_on, agenda=agenda, minutes=minutes, recorded_by=recorded_by
        )
        meeting.attendees.set(list(attendee_ids))
    return meeting


def action_add(*, group: ForumGroup, what: str, owner_id=None, due_on=None, meeting=None) -> GroupAction:
    what = " ".join((what or "").split())
    if not what:
        raise ForumError(_("Say what is to be done."))
    if len(what) > 500:
        raise ForumError(_("Keep the action to 500 characters or fewer."))
    if owner_id:
        _check_members(group, [owner_id])
    return GroupAction.objects.create(
        group=group, what=what, owner_id=owner_id or None, due_on=due_on, meeting=meeting
    )


def action_set_status(*, action: GroupAction, status: str) -> GroupAction:
    if status not in ActionStatus.values:
        raise ForumError(_("Choose open, done or dropped."))
    action.status = status
    action.save(update_fields=["status"])
    return action


# Find a colleague --------------------------------------------------------------------------

MAX_CONTACT_LENGTH = 5_000
CONTACTS_PER_HOUR = 5


def colleague_contact(
    *, sender, profile: ColleagueProfile, body: str, site_url: str = ""
) -> ColleagueMessage:
    """A message to a listed member through the site: their address is never shown to the
    sender; the sender's is given to them (as Reply-To) so they can answer."""
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string

    body = (body or "").strip()
    if not body:
        raise ForumError(_("Enter a message."))
    if len(body) > MAX_CONTACT_LENGTH:
        raise ForumError(
            _("Keep the message to %(max)s characters or fewer.") % {"max": f"{MAX_CONTACT_LENGTH:,}"}
        )
    if profile.user_id == sender.pk:
        raise ForumError(_("This is your own entry."))
    since = timezone.now() - timedelta(hours=1)
    if ColleagueMessage.objects.filter(sender=sender, created_at__gte=since).count() >= CONTACTS_PER_HOUR:
        raise ForumError(
            _("You have sent %(n)s messages in the last hour. Try again later.") % {"n": CONTACTS_PER_HOUR}
        )
    message = ColleagueMessage.objects.create(sender=sender, recipient=profile.user, body=body)
    context = {"sender": sender, "recipient": profile.user, "body": body, "site_url": site_url}
    transaction.on_commit(
        lambda: EmailMultiAlternatives(
            subject=render_to_string("forum/email/colleague_subject.txt", context).strip(),
            body=render_to_string("forum/email/colleague.txt", context),
            to=[profile.user.email],
            reply_to=[sender.email],
        ).send()
    )
    return message


# Moderation --------------------------------------------------------------------------------


def post_flag(*, post: Post, reporter, reason: str) -> Flag:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ForumError(_("Say what is wrong with this post."))
    if len(reason) > 500:
        raise ForumError(_("Keep the reason to 500 characters or fewer."))
    flag = Flag.objects.filter(post=post, reporter=reporter, status=FlagStatus.OPEN).first()
    if flag:
        return flag
    return Flag.objects.create(post=post, reporter=reporter, reason=reason)


def _log(
    *, kind: str, moderator, topic: Topic, post: Post | None = None, reason: str = ""
) -> ModerationAction:
    concerns_id = post.author_id if post is not None else topic.author_id
    action = ModerationAction.objects.create(
        kind=kind, moderator=moderator, topic=topic, post=post, concerns_id=concerns_id, reason=reason
    )
    if concerns_id and concerns_id != getattr(moderator, "pk", None):
        Notification.objects.create(
            recipient_id=concerns_id, kind=NotificationKind.MODERATION, topic=topic, post=post, actor=None
        )
    return action


def _close_flags(post: Post, moderator) -> None:
    Flag.objects.filter(post=post, status=FlagStatus.OPEN).update(
        status=FlagStatus.HANDLED, handled_by=moderator, handled_at=timezone.now()
    )


def post_set_hidden(*, post: Post, moderator, hidden: bool, reason: str = "") -> Post:
    with transaction.atomic():
        post.is_hidden = hidden
        post.save(update_fields=["is_hidden"])
        if hidden:
            _close_flags(post, moderator)
        kind = ModerationKind.HIDE_POST if hidden else ModerationKind.RESTORE_POST
        _log(kind=kind, moderator=moderator, topic=post.topic, post=post, reason=reason)
        if post.topic.kind == TopicKind.CONSULTATION:
            from .consultation import consultation_touch_topic

            # The document's page counts visible comments only.
            transaction.on_commit(lambda: consultation_touch_topic(post.topic_id))
    return post


def flags_dismiss(*, post: Post, moderator, reason: str = "") -> None:
    with transaction.atomic():
        _close_flags(post, moderator)
        ModerationAction.objects.create(
            kind=ModerationKind.DISMISS_FLAGS, moderator=moderator, topic=post.topic, post=post, reason=reason
        )


def _topic_set(*, topic: Topic, moderator, field: str, value: bool, kind: str, reason: str) -> Topic:
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(**{field: value})
        setattr(topic, field, value)
        touch_topic(topic.pk)  # update() sends no signal
        discussions_changed()
        _log(kind=kind, moderator=moderator, topic=topic, reason=reason)
    return topic


def topic_set_locked(*, topic: Topic, moderator, locked: bool, reason: str = "") -> Topic:
    kind = ModerationKind.LOCK if locked else ModerationKind.UNLOCK
    return _topic_set(
        topic=topic, moderator=moderator, field="is_locked", value=locked, kind=kind, reason=reason
    )


def topic_set_pinned(*, topic: Topic, moderator, pinned: bool, reason: str = "") -> Topic:
    kind = ModerationKind.PIN if pinned else ModerationKind.UNPIN
    return _topic_set(
        topic=topic, moderator=moderator, field="is_pinned", value=pinned, kind=kind, reason=reason
    )


def topic_move(*, topic: Topic, moderator, group: ForumGroup, reason: str = "") -> Topic:
    """A moderator moves a topic to another group; the move is logged and its author told.
    Consultation threads stay in the national group; referrals and subscriptions move with
    the topic (who may read it is decided afresh, at every reading and sending)."""
    if topic.kind == TopicKind.CONSULTATION:
        raise ForumError(_("A consultation thread stays in the national best-practice group."))
    if group.pk == topic.group_id:
        raise ForumError(_("The topic is already in %(group)s.") % {"group": group.name})
    previous = topic.group
    detail = _("From “%(old)s” to “%(new)s”.") % {"old": previous.name, "new": group.name}
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(group=group)
        topic.group = group
        touch_topic(topic.pk)
        # Who may find it is decided at every search (the index holds no group): kept results
        # are retired, as a queryset update sends no signal.
        discussions_changed()
        _log(
            kind=ModerationKind.MOVE,
            moderator=moderator,
            topic=topic,
            reason=f"{detail} {reason}".strip()[:500],
        )
    return topic


# Notifications -----------------------------------------------------------------------------

MENTION = re.compile(r"(?<![\w@])@([A-Za-z][\w'-]*)\.([A-Za-z][\w'-]*)")
MAX_MENTIONS = 10


def mentioned_handles(body: str) -> list[tuple[str, str]]:
    """``@first.last`` handles in a message (at most ten), outside code."""
    text = re.sub(r"```.*?```|`[^`]*`", "", body, flags=re.DOTALL)
    seen = []
    for first, last in MENTION.findall(text):
        pair = (first.lower(), last.lower())
        if pair not in seen:
            seen.append(pair)
    return seen[:MAX_MENTIONS]


def _notify_for_post(post: Post) -> None:
    """Mentions (members of the group named ``@first.last``) and watchers of the topic or
    group; never the author. E-mails go after the commit, each checked again then."""
    from django.db.models import Q

    from .tasks import send_notification_emails

    topic = post.topic
    recipients: dict[int, str] = {}
    handles = mentioned_handles(post.body)
    if handles:
        named = Q()
        for first, last in handles:
            named |= Q(user__first_name__iexact=first, user__last_name__iexact=last)
        for user_id in Membership.objects.filter(named, group_id=topic.group_id).values_list(
            "user_id", flat=True
        ):
            recipients[user_id] = NotificationKind.MENTION
    if post.number > 1:
        watchers = Subscription.objects.filter(Q(topic=topic) | Q(group_id=topic.group_id)).values_list(
            "user_id", flat=True
        )
        for user_id in watchers:
            recipients.setdefault(user_id, NotificationKind.REPLY)
    else:
        # A new topic: those who watch one of its workstreams, if they may read its group.
        watchers = Subscription.objects.filter(workstream__forum_topics=topic)
        if topic.group.is_private:
            watchers = watchers.filter(user__forum_memberships__group_id=topic.group_id)
        for user_id in watchers.values_list("user_id", flat=True).distinct():
            recipients.setdefault(user_id, NotificationKind.NEW_TOPIC)
    recipients.pop(post.author_id, None)
    if not recipients:
        return
    created = Notification.objects.bulk_create(
        [
            Notification(recipient_id=user_id, kind=kind, topic=topic, post=post, actor_id=post.author_id)
            for user_id, kind in recipients.items()
        ]
    )
    ids = [n.pk for n in created if n.pk]
    if not ids:  # databases that do not return keys from bulk inserts
        ids = list(Notification.objects.filter(post=post).values_list("pk", flat=True))
    transaction.on_commit(lambda: send_notification_emails.enqueue(notification_ids=ids))
