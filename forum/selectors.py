"""The forum's read paths: constant queries whatever the volume."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery, prefetch_related_objects

from schemes.models import Workstream

from .models import (
    ActionStatus,
    ColleagueProfile,
    Draft,
    GroupAction,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Notification,
    Post,
    PostRevision,
    Reaction,
    Subscription,
    Topic,
    TopicReadState,
)
from .permissions import visible_groups, visible_topics

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 25


def group_listing(viewer):
    return visible_groups(viewer).annotate(
        topic_count=Count("topics", filter=Q(topics__is_hidden=False), distinct=True)
    )


def topics_of_group(viewer, group, *, include_hidden=False):
    """One page's worth is sliced by the paginator: author, workstreams (one query) and the
    viewer's read position come with it."""
    read = TopicReadState.objects.filter(topic=OuterRef("pk"), user_id=viewer.user.pk).values(
        "last_read_number"
    )[:1]
    topics = group.topics.all() if include_hidden else group.topics.filter(is_hidden=False)
    return (
        topics.select_related("author")
        .prefetch_related(Prefetch("workstreams", queryset=Workstream.objects.order_by("name")))
        .annotate(last_read=Subquery(read))
        .order_by("-is_pinned", "-last_posted_at", "-pk")
    )


def group_topics(group_id: int, *, include_hidden: bool = False):
    """A group's topics as its page lists them (sliced by the paginator), with their authors'
    names and workstreams: the same for everyone who may see the group (``forum.kept``)."""
    topics = Topic.objects.filter(group_id=group_id)
    if not include_hidden:
        topics = topics.filter(is_hidden=False)
    return (
        topics.select_related("author")
        .prefetch_related(Prefetch("workstreams", queryset=Workstream.objects.order_by("name")))
        .order_by("-is_pinned", "-last_posted_at", "-pk")
    )


def read_positions(viewer, topic_ids) -> dict[int, int]:
    """How far the viewer has read in each of these topics (absent: never opened)."""
    if not topic_ids:
        return {}
    return dict(
        TopicReadState.objects.filter(topic_id__in=topic_ids, user_id=viewer.user.pk).values_list(
            "topic_id", "last_read_number"
        )
    )


def topic_for(viewer, pk: int):
    """The topic (hidden ones too: the view decides), its group with the viewer's role."""
    read = TopicReadState.objects.filter(topic=OuterRef("pk"), user_id=viewer.user.pk).values(
        "last_read_number"
    )[:1]
    watching = Subscription.objects.filter(topic=OuterRef("pk"), user_id=viewer.user.pk)
    draft = Draft.objects.filter(topic=OuterRef("pk"), user_id=viewer.user.pk)
    topic = (
        Topic.objects.filter(pk=pk)
        .annotate(
            last_read=Subquery(read),
            watching=Exists(watching),
            draft_body=Subquery(draft.values("body")[:1]),
            draft_clause=Subquery(draft.values("clause")[:1]),
        )
        .select_related("author", "consultation", "referral")
        .first()
    )
    if topic is None:
        return None
    # Its group, if the viewer may see it (``visible_groups``, with their role): asked apart
    # rather than as a subquery of the topic's, the same answer for less work.
    group = visible_groups(viewer).filter(pk=topic.group_id).first()
    if group is None:
        return None
    topic.group = group
    prefetch_related_objects([topic], Prefetch("workstreams", queryset=Workstream.objects.order_by("name")))
    return topic


@dataclass
class TopicReader:
    """The reader's own facts on a topic page."""

    last_read: int | None = None
    watching: bool = False
    draft_body: str = ""
    draft_clause: int | None = None
    helpful: set = field(default_factory=set)


def _union(branches) -> tuple[str, list]:
    """One query from several ``(sql, params)`` rows of (kind, number, text), in any order."""
    return " UNION ALL ".join(sql for sql, _ in branches), [p for _, params in branches for p in params]


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(ids) -> str:
    return ", ".join(["%s"] * len(ids))


def topic_reader(user_id, topic_id: int, post_ids) -> TopicReader:
    """How far the reader has read in the topic, whether they watch it, their draft of a reply
    and which of ``post_ids`` they found helpful: one query (plain SQL: the ORM's compiling
    cost more than the query)."""
    none = "CAST(NULL AS TEXT)"
    branches = [
        (
            f"SELECT 'r', last_read_number, {none} FROM {_table(TopicReadState)} WHERE topic_id = %s AND user_id = %s",
            [topic_id, user_id],
        ),
        (
            f"SELECT 'w', 0, {none} FROM {_table(Subscription)} WHERE topic_id = %s AND user_id = %s",
            [topic_id, user_id],
        ),
        (
            f"SELECT 'd', clause, body FROM {_table(Draft)} WHERE topic_id = %s AND user_id = %s",
            [topic_id, user_id],
        ),
    ]
    if post_ids:
        branches.append(
            (
                f"SELECT 'h', post_id, {none} FROM {_table(Reaction)} WHERE user_id = %s AND post_id IN ({_in(post_ids)})",
                [user_id, *post_ids],
            )
        )
    reader = TopicReader()
    with connection.cursor() as cursor:
        cursor.execute(*_union(branches))
        for kind, number, text in cursor.fetchall():
            if kind == "r":
                reader.last_read = number
            elif kind == "w":
                reader.watching = True
            elif kind == "d":
                reader.draft_body, reader.draft_clause = text or "", number
            else:
                reader.helpful.add(number)
    return reader


@dataclass
class GroupReader:
    """The reader's own facts on a group page (what does not apply to them stays empty)."""

    read: dict = field(default_factory=dict)
    watching: bool = False
    join_requested: bool = False
    pending_requests: int = 0


def group_reader(user_id, group_id: int, topic_ids, *, member: bool, leads: bool) -> GroupReader:
    """For a member: how far they have read in each of ``topic_ids`` and whether they watch the
    group; for others: whether they asked to join; for those who lead it: how many requests to
    join wait. One query."""
    requests = _table(JoinRequest)
    pending = JoinRequestStatus.PENDING.value
    branches = []
    if member:
        branches.append(
            (
                f"SELECT 'w', 0, 0 FROM {_table(Subscription)} WHERE group_id = %s AND user_id = %s",
                [group_id, user_id],
            )
        )
        if topic_ids:
            branches.append(
                (
                    f"SELECT 'r', topic_id, last_read_number FROM {_table(TopicReadState)} "
                    f"WHERE user_id = %s AND topic_id IN ({_in(topic_ids)})",
                    [user_id, *topic_ids],
                )
            )
    else:
        branches.append(
            (
                f"SELECT 'j', 0, 0 FROM {requests} WHERE group_id = %s AND user_id = %s AND status = %s",
                [group_id, user_id, pending],
            )
        )
    if leads:
        branches.append(
            (
                f"SELECT 'p', COUNT(*), 0 FROM {requests} WHERE group_id = %s AND status = %s",
                [group_id, pending],
            )
        )
    reader = GroupReader()
    with connection.cursor() as cursor:
        cursor.execute(*_union(branches))
        for kind, first, second in cursor.fetchall():
            if kind == "r":
                reader.read[first] = second
            elif kind == "w":
                reader.watching = True
            elif kind == "j":
                reader.join_requested = True
            else:
                reader.pending_requests = first
    return reader


def posts_page(viewer, topic, page: int):
    """Posts ``(page-1)*N+1 .. page*N`` by their number: an index range, never an OFFSET."""
    first = (page - 1) * POSTS_PER_PAGE + 1
    return posts_from(viewer, topic, first)


def posts_from(viewer, topic, first: int):
    """Posts ``first .. first+N-1`` with what their rendering needs, and the viewer's "helpful"."""
    posts = posts_in_range(topic.pk, first)
    return posts, helpful_among(viewer, [p.pk for p in posts])


def posts_in_range(topic_id: int, first: int) -> list:
    """Posts ``first .. first+N-1`` of a topic, with their authors, revisions and moderation
    actions: three queries."""
    return list(
        Post.objects.filter(topic_id=topic_id, number__gte=first, number__lt=first + POSTS_PER_PAGE)
        .select_related("author__organisation")
        .prefetch_related(Prefetch("revisions", queryset=PostRevision.objects.select_related("editor")))
        .prefetch_related("moderation_actions")
        .order_by("number")
    )


def helpful_among(viewer, post_ids) -> set:
    """Which of these posts the viewer found helpful: one query (none for no posts)."""
    if not post_ids:
        return set()
    return set(
        Reaction.objects.filter(post__in=post_ids, user_id=viewer.user.pk).values_list("post_id", flat=True)
    )


def pending_join_requests(group):
    return JoinRequest.objects.filter(group=group, status=JoinRequestStatus.PENDING).select_related(
        "user__organisation"
    )


def notifications_for(viewer, limit=50):
    """Only about what the person may read now: a group they left is gone from here too."""
    return (
        Notification.objects.filter(
            recipient_id=viewer.user.pk, topic__in=visible_topics(viewer).values("pk")
        )
        .select_related("topic__group", "actor", "post", "referral_event__referral")
        .order_by("-created_at", "-pk")[:limit]
    )


def topics_of_workstream(viewer, workstream):
    """Topics tagged with a workstream, in every group the viewer may read (hidden ones left
    out), newest activity first: a page is sliced by the paginator."""
    return (
        visible_topics(viewer)
        .filter(workstreams=workstream)
        .select_related("author", "group")
        .order_by("-last_posted_at", "-pk")
    )


def open_actions(group, limit=20):
    return list(
        GroupAction.objects.filter(group=group, status=ActionStatus.OPEN)
        .select_related("owner__organisation")
        .order_by(F("due_on").asc(nulls_last=True), "pk")[:limit]
    )


def group_members(group):
    return list(
        Membership.objects.filter(group=group)
        .select_related("user")
        .order_by("user__first_name", "user__last_name")[:500]
    )


def listed_colleagues(query: str, workstream: str):
    """Listed, approved, active members, by name; ``query`` in their name, organisation, role or
    what they can help with; ``workstream`` a workstream's slug."""
    from accounts.models import ApprovalStatus

    profiles = ColleagueProfile.objects.filter(
        listed=True, user__is_active=True, user__approval_status=ApprovalStatus.APPROVED
    )
    for word in query.split()[:6]:
        profiles = profiles.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__organisation__name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(can_help_with__icontains=word)
        )
    if workstream:
        profiles = profiles.filter(workstreams__slug=workstream)
    return (
        profiles.select_related("user__organisation", "scheme")
        .prefetch_related(Prefetch("workstreams", queryset=Workstream.objects.order_by("name")))
        .order_by("user__first_name", "user__last_name", "pk")
        .distinct()
    )
