"""What the forum keeps between requests, and what retires it.

Forum pages are personal (read positions, memberships, reactions, moderation notes for
authors), so they are never stored whole. What is the same for everyone who may see a topic or
a group is kept through ``serving.visibility.kept_fragment`` (rendered without the request),
keyed beside the content version by:

- a topic's **version** (``forum:topic-version:<id>``): its posts, as everyone sees them;
- the **listings version** (``forum:listings-version``): every group's list of topics
  (counts, last post, pinned, locked, hidden, answered), retired by any change to any topic;
- the **people version** (``forum:people-version``): names and organisations shown beside
  posts and topics, retired when a person or organisation is saved (not on a sign-in).

``touch_topic`` sets new versions at once and again once the transaction commits (as
``serving.version.bump_version``): nothing read before the change was visible stays kept. It is
called from signals on every model save and delete that shows on a topic or a listing, and by
the services that write with ``update()`` (which sends no signal).

Who may see a group is never in a key: every page asks ``forum.permissions`` first and only
then reads a fragment, so a private group's fragment is only ever read by its members.

For the live-update request (``topic_updates``), two small facts are kept so that "nothing
new" costs no query: a topic's state (its group, hidden, post count), forgotten with its
version, and each person's group memberships, forgotten when one of theirs changes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

TIMEOUT = 60 * 60
LISTINGS_KEY = "forum:listings-version"
PEOPLE_KEY = "forum:people-version"


def _topic_key(topic_id: int) -> str:
    return f"forum:topic-version:{topic_id}"


def _state_key(topic_id: int) -> str:
    return f"forum:topic-state:{topic_id}"


def _memberships_key(user_id) -> str:
    return f"forum:roles:{user_id}"


def _versions(keys: list[str]) -> list[int]:
    """The versions under ``keys``, each created (a clock reading) if the cache lost it."""
    found = cache.get_many(keys)
    missing = {key: time.time_ns() for key in keys if key not in found}
    if missing:
        for key, value in missing.items():
            cache.add(key, value, None)
        found.update(cache.get_many(list(missing)))
    return [found.get(key, 0) for key in keys]


def topic_versions(topic_id: int) -> tuple[int, int]:
    """(the topic's version, the people version): one cache read."""
    topic, people = _versions([_topic_key(topic_id), PEOPLE_KEY])
    return topic, people


def listings_versions() -> tuple[int, int]:
    listings, people = _versions([LISTINGS_KEY, PEOPLE_KEY])
    return listings, people


def _now_and_after_commit(action) -> None:
    action()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(action)


def touch_topic(*topic_ids) -> None:
    """A topic's posts or its row changed: new versions for it and for every listing, and its
    live-update state forgotten."""
    ids = [pk for pk in topic_ids if pk is not None]

    def retire():
        now = time.time_ns()
        cache.set_many({**{_topic_key(pk): now for pk in ids}, LISTINGS_KEY: now}, None)
        cache.delete_many([_state_key(pk) for pk in ids])

    _now_and_after_commit(retire)


def touch_people() -> None:
    _now_and_after_commit(lambda: cache.set(PEOPLE_KEY, time.time_ns(), None))


def forget_memberships(*user_ids) -> None:
    keys = [_memberships_key(pk) for pk in user_ids if pk is not None]
    _now_and_after_commit(lambda: cache.delete_many(keys))


# Live updates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicState:
    group_id: int
    is_hidden: bool
    post_count: int


def topic_state(topic_id: int) -> TopicState | None:
    """The topic's group, whether it is hidden, and its post count (None: no such topic):
    kept until the topic changes."""
    from .models import Topic

    key = _state_key(topic_id)
    state = cache.get(key)
    if state is None:
        row = Topic.objects.filter(pk=topic_id).values_list("group_id", "is_hidden", "post_count").first()
        if row is None:
            return None
        state = TopicState(*row)
        cache.set(key, state, TIMEOUT)
    return state


@dataclass(frozen=True)
class PollPerson:
    """What the live-update poll needs to know of a person (``forum.middleware``)."""

    pk: int
    session_hash: str
    may_use_forum: bool
    is_superuser: bool


POLL_PERSON_TIMEOUT = 5 * 60  # a backstop: every save of the person forgets it at once


def _poll_person_key(user_id) -> str:
    return f"forum:poll-person:{user_id}"


def poll_person(user_id) -> PollPerson | None:
    """The person's session hash and whether they may use the forum (``permissions``' rule),
    kept until their row is saved or deleted (``connect``); None: no such person."""
    from django.contrib.auth import get_user_model

    from .permissions import may_use_forum, viewer_for_user

    key = _poll_person_key(user_id)
    person = cache.get(key)
    if person is None:
        model = get_user_model()
        try:
            user = model.objects.get(pk=model._meta.pk.to_python(user_id))
        except (model.DoesNotExist, ValueError, TypeError):
            return None
        viewer = viewer_for_user(user)
        person = PollPerson(
            pk=user.pk,
            session_hash=user.get_session_auth_hash(),
            may_use_forum=may_use_forum(viewer),
            is_superuser=viewer.is_superuser,
        )
        cache.set(key, person, POLL_PERSON_TIMEOUT)
    return person


def forget_poll_person(*user_ids) -> None:
    keys = [_poll_person_key(pk) for pk in user_ids if pk is not None]
    _now_and_after_commit(lambda: cache.delete_many(keys))


def memberships(user_id) -> dict[int, str]:
    """This person's role in each group they belong to (group id: role), kept until one of
    their memberships changes (``in`` asks whether they belong)."""
    from .models import Membership

    key = _memberships_key(user_id)
    roles = cache.get(key)
    if roles is None:
        roles = dict(Membership.objects.filter(user_id=user_id).values_list("group_id", "role"))
        cache.set(key, roles, TIMEOUT)
    return roles


def private_groups(version: int) -> frozenset[int]:
    """The private groups' ids: a group's visibility is saved through its model, which retires
    the content version (``register_cache_retiring_models``)."""
    from serving.version import memo

    from .models import ForumGroup, Visibility

    return memo.get_or_set(
        f"forum:private-groups:{version}",
        lambda: frozenset(
            ForumGroup.objects.filter(visibility=Visibility.PRIVATE).values_list("pk", flat=True)
        ),
        TIMEOUT,
    )


# The topic page and the group page ---------------------------------------------------------


def kept_topic(topic_id: int):
    """The topic row (hidden ones too: the view decides) with its author, consultation,
    referral and workstreams, as everyone who may see it sees it: kept in each worker per
    topic version and people version (``memo``; retired by ``touch_topic``, and by the
    consultation's and referral's saves). Each request gets its own copy, on which the view
    sets the group and the reader's own facts. None: no such topic."""
    import copy

    from django.db.models import Prefetch

    from schemes.models import Workstream
    from serving.version import memo

    from .models import Topic

    topic_version, people_version = topic_versions(topic_id)

    def build():
        return (
            Topic.objects.filter(pk=topic_id)
            .select_related("author", "consultation", "referral")
            .prefetch_related(Prefetch("workstreams", queryset=Workstream.objects.order_by("name")))
            .first()
        )

    topic = memo.get_or_set(f"forum:topic:{topic_id}:{topic_version}:{people_version}", build, TIMEOUT)
    return None if topic is None else copy.copy(topic)


def kept_group(version: int, *, pk: int | None = None, slug: str | None = None):
    """A group's row with its scheme, by id or slug, kept in each worker per content
    ``version`` (saving a group retires it, ``register_cache_retiring_models``). Who may see it
    is not decided here (``permissions.kept_access``). A copy per request; None: no such group."""
    import copy

    from serving.version import memo

    from .models import ForumGroup

    lookup = {"pk": pk} if slug is None else {"slug": slug}
    group = memo.get_or_set(
        f"forum:group:{pk if slug is None else 'slug-' + slug}:{version}",
        lambda: ForumGroup.objects.select_related("scheme").filter(**lookup).first(),
        TIMEOUT,
    )
    return None if group is None else copy.copy(group)


def _group_key(group_id: int) -> str:
    return f"forum:group-version:{group_id}"


def touch_group(*group_ids) -> None:
    """A group's meetings or actions changed: its kept extras are retired."""
    ids = [pk for pk in group_ids if pk is not None]
    _now_and_after_commit(lambda: cache.set_many({_group_key(pk): time.time_ns() for pk in ids}, None))


@dataclass(frozen=True)
class GroupExtras:
    """What a group's page shows beside its topics, the same for everyone who may see it."""

    open_actions: tuple
    last_meeting: object


def group_extras(group_id: int) -> GroupExtras:
    """Its first ten open actions (owners' names and organisations) and its last meeting, kept
    per group version (``touch_group`` on every save or delete of a meeting or action) and
    people version."""
    from serving.version import memo

    from .models import Meeting
    from .selectors import open_actions

    group_version, people_version = _versions([_group_key(group_id), PEOPLE_KEY])

    def build():
        return GroupExtras(
            open_actions=tuple(open_actions(group_id, limit=10)),
            last_meeting=Meeting.objects.filter(group_id=group_id).order_by("-held_on", "-pk").first(),
        )

    return memo.get_or_set(f"forum:group-extras:{group_id}:{group_version}:{people_version}", build, TIMEOUT)


def topic_moderation(topic_id: int) -> tuple:
    """What moderators did to the topic itself (locked, moved...), the five latest, kept per
    topic version (a moderation action retires it): shown to the topic's author."""
    from serving.version import memo

    from .models import ModerationAction

    topic_version, _people = topic_versions(topic_id)
    return memo.get_or_set(
        f"forum:topic-moderation:{topic_id}:{topic_version}",
        lambda: tuple(
            ModerationAction.objects.filter(topic_id=topic_id, post__isnull=True).order_by(
                "-created_at", "-pk"
            )[:5]
        ),
        TIMEOUT,
    )


# Signals ----------------------------------------------------------------------------------


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from schemes.models import Organisation

    from .models import (
        Consultation,
        GroupAction,
        Meeting,
        Membership,
        ModerationAction,
        Post,
        PostRevision,
        Reaction,
        Referral,
        Topic,
    )

    def topic_changed(sender, instance, raw=False, **kwargs):
        if not raw:
            touch_topic(instance.pk)

    def of_a_topic(sender, instance, raw=False, **kwargs):
        """A post or a moderation action: rows that name their topic."""
        if not raw:
            touch_topic(instance.topic_id)

    def of_a_group(sender, instance, raw=False, **kwargs):
        """A meeting or an action: shown on its group's page."""
        if not raw:
            touch_group(instance.group_id)

    def via_post(sender, instance, raw=False, **kwargs):
        if raw:
            return
        topic_id = Post.objects.filter(pk=instance.post_id).values_list("topic_id", flat=True).first()
        touch_topic(topic_id)

    def membership_changed(sender, instance, raw=False, **kwargs):
        if not raw:
            forget_memberships(instance.user_id)

    def person_changed(sender, instance, raw=False, update_fields=None, **kwargs):
        if sender is get_user_model():
            forget_poll_person(instance.pk)  # any save: password, approval, active...
        # A sign-in saves ``last_login`` alone: names and organisations are unchanged.
        if raw or (update_fields is not None and set(update_fields) <= {"last_login", "password"}):
            return
        touch_people()

    def workstreams_changed(sender, instance, action, reverse, pk_set, **kwargs):
        if action.startswith("post_"):
            touch_topic(*(pk_set or ()) if reverse else (instance.pk,))

    # weak=False: the receivers are local functions, gone when connect() returns otherwise.
    for signal in (post_save, post_delete):
        signal.connect(topic_changed, sender=Topic, weak=False, dispatch_uid=f"forum.kept.topic.{signal}")
        signal.connect(of_a_topic, sender=Post, weak=False, dispatch_uid=f"forum.kept.post.{signal}")
        signal.connect(
            via_post, sender=PostRevision, weak=False, dispatch_uid=f"forum.kept.revision.{signal}"
        )
        signal.connect(via_post, sender=Reaction, weak=False, dispatch_uid=f"forum.kept.reaction.{signal}")
        signal.connect(
            of_a_topic, sender=ModerationAction, weak=False, dispatch_uid=f"forum.kept.action.{signal}"
        )
        for model in (Consultation, Referral):  # shown with the kept topic row
            signal.connect(
                of_a_topic, sender=model, weak=False, dispatch_uid=f"forum.kept.{model.__name__}.{signal}"
            )
        for model in (Meeting, GroupAction):
            signal.connect(
                of_a_group, sender=model, weak=False, dispatch_uid=f"forum.kept.{model.__name__}.{signal}"
            )
        signal.connect(
            membership_changed, sender=Membership, weak=False, dispatch_uid=f"forum.kept.member.{signal}"
        )
        signal.connect(
            person_changed, sender=get_user_model(), weak=False, dispatch_uid=f"forum.kept.user.{signal}"
        )
        signal.connect(
            person_changed, sender=Organisation, weak=False, dispatch_uid=f"forum.kept.org.{signal}"
        )
    m2m_changed.connect(
        workstreams_changed,
        sender=Topic.workstreams.through,
        weak=False,
        dispatch_uid="forum.kept.workstreams",
    )


# Posts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostPiece:
    """A post as everyone who may see it sees it (``html``), with what the page needs to add
    the reader's own: the actions (by ``pk``, ``number``, ``author_id``...) and, for its author
    only, the moderators' last note (``note_html``)."""

    pk: int
    number: int
    author_id: int | None
    is_notice: bool
    is_hidden: bool
    html: str
    note_html: str
    actions: tuple[str, ...]  # cut from post_actions.html: see ``shown_post``


CSRF_MARK = "__forum-csrf-token__"
ACTIONS_MARK = "<!--|-->"
OPEN, QUOTE, EDIT, FOUND_HELPFUL, HELPFUL, REPORT, ACCEPT, CLOSE, END = range(9)


def shown_post(
    piece: PostPiece,
    *,
    user_id,
    reply: bool,
    may_post: bool,
    helpful: bool,
    may_accept: bool,
    accepted_id,
    csrf_token: str,
) -> str:
    """A post as this reader sees it: its kept HTML, the moderators' note if it is theirs, and
    the actions that are theirs to take (each kept with the post: nothing is rendered here)."""
    from django.utils.safestring import mark_safe

    actions = piece.actions
    mine = piece.author_id == user_id
    shown = [piece.html]
    if mine and piece.note_html:
        shown.append(piece.note_html)
    # Only the actions (our own markup, no one's text) carry the token's mark: a post that
    # quotes the mark must never show the reader's token in its text.
    parts = []
    if not piece.is_hidden:
        parts.append(actions[OPEN])
        if reply:
            parts.append(actions[QUOTE])
        if may_post and mine:
            parts.append(actions[EDIT])
        if not mine and not piece.is_notice:
            parts.append(actions[FOUND_HELPFUL] if helpful else actions[HELPFUL])
            parts.append(actions[REPORT])
        if may_accept and piece.number > 1 and piece.pk != accepted_id:
            parts.append(actions[ACCEPT])
        parts.append(actions[CLOSE])
    parts.append(actions[END])
    return mark_safe("".join(shown) + "".join(parts).replace(CSRF_MARK, csrf_token))


def post_pieces(posts, *, topic, consultation: bool, leads: bool) -> tuple[PostPiece, ...]:
    """Rendered without the request: ``leads`` (chairs and moderators) see hidden posts' text."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    pieces = []
    for post in posts:
        context = {
            "post": post,
            "topic": topic,
            "consultation": consultation,
            "leads": leads,
            "csrf_token": CSRF_MARK,
        }
        actions = list(post.moderation_actions.all())
        note = render_to_string("forum/includes/post_note.html", {"action": actions[0]}) if actions else ""
        pieces.append(
            PostPiece(
                pk=post.pk,
                number=post.number,
                author_id=post.author_id,
                is_notice=post.is_notice,
                is_hidden=post.is_hidden,
                html=mark_safe(render_to_string("forum/includes/post_content.html", context)),
                note_html=mark_safe(note),
                actions=tuple(
                    mark_safe(action)
                    for action in render_to_string("forum/includes/post_actions.html", context).split(
                        ACTIONS_MARK
                    )
                ),
            )
        )
    return tuple(pieces)


def kept_posts(request, topic, page: int, *, leads: bool, consultation: bool) -> tuple[PostPiece, ...]:
    """One page of a topic's posts, kept per topic version, people version, page and whether
    the reader leads the group (sees hidden posts' text). The caller has checked that the
    reader may see the topic."""
    from serving.visibility import kept

    from .selectors import POSTS_PER_PAGE, posts_in_range

    topic_version, people_version = topic_versions(topic.pk)
    accepted = topic.accepted_post_id
    first = (page - 1) * POSTS_PER_PAGE + 1

    def build(visibility):
        posts = posts_in_range(topic.pk, first)
        shown = SimpleTopic(pk=topic.pk, accepted_post_id=accepted)
        return post_pieces(posts, topic=shown, consultation=consultation, leads=leads)

    params = (topic.pk, topic_version, people_version, first, leads, consultation, accepted)
    return kept(request, "forum-posts", params, build, TIMEOUT)


@dataclass(frozen=True)
class SimpleTopic:
    """What a post's kept HTML reads of its topic."""

    pk: int
    accepted_post_id: int | None


# A group's topics ---------------------------------------------------------------------------

READER_MARK = "<!--reader-->"


@dataclass(frozen=True)
class TopicPiece:
    """A topic's row in its group's list, as everyone who may see the group sees it, cut where
    the reader's own (how long ago, what they have not read) goes."""

    pk: int
    title: str
    post_count: int
    last_posted_at: object
    head_html: str
    tail_html: str


@dataclass(frozen=True)
class TopicListing:
    pieces: tuple[TopicPiece, ...]
    number: int
    num_pages: int
    pagination_html: str


def kept_topics(request, group, page: str | None, *, include_hidden: bool) -> TopicListing:
    """One page of a group's topics (pinned first, then by last post), kept per listings
    version, people version, group, page and whether hidden topics are listed (for those who
    lead it). The caller has checked that the reader may see the group."""
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from serving.visibility import kept

    from .selectors import TOPICS_PER_PAGE, group_topics

    listings_version, people_version = listings_versions()
    base = (group.pk, listings_version, people_version, include_hidden)

    def count(visibility):
        return group_topics(group.pk, include_hidden=include_hidden).count()

    total = kept(request, "forum-topic-count", base, count, TIMEOUT)
    num_pages = max(1, -(-total // TOPICS_PER_PAGE))
    try:
        number = min(max(int(page or 1), 1), num_pages)
    except ValueError:
        number = 1

    def build(visibility):
        paginator = Paginator(group_topics(group.pk, include_hidden=include_hidden), TOPICS_PER_PAGE)
        paginator.count = total  # counted above (and kept): not again
        page_obj = paginator.get_page(number)
        pieces = []
        for topic in page_obj.object_list:
            html = render_to_string("forum/includes/topic_row.html", {"topic": topic})
            head, _mark, tail = html.partition(READER_MARK)
            pieces.append(
                TopicPiece(
                    pk=topic.pk,
                    title=topic.title,
                    post_count=topic.post_count,
                    last_posted_at=topic.last_posted_at,
                    head_html=mark_safe(head),
                    tail_html=mark_safe(tail),
                )
            )
        pagination = render_to_string("includes/pagination.html", {"page_obj": page_obj})
        return TopicListing(
            pieces=tuple(pieces),
            number=page_obj.number,
            num_pages=page_obj.paginator.num_pages,
            pagination_html=mark_safe(pagination),
        )

    return kept(request, "forum-topics", (*base, number), build, TIMEOUT)
