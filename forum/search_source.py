"""Forum discussions in the site search, labelled "Discussion".

Posts are indexed (``Post.search_fields``): members' posts by their text, and every topic's
opening post with the topic's title and workstreams, so one index search answers for topics
and posts alike. A match is shown as its topic, once, with the best matching post's words as
the snippet and a link to that post. Who may read what is decided by ``forum.permissions``
(``visible_groups``): a private group's topics only for its members, hidden topics and posts
for nobody, nothing for anyone who may not use the forum. The index holds no hidden post, and
the rows read back are checked again, so an index that is behind never shows what was hidden.

Results depend on the person's memberships, not only on their audience: ``kept_key`` joins
the groups they may read to the scope a page of results is kept for (``search.views._scope``),
so only people of one audience who read the same groups share it, and names the forum's own
search version, which every post, topic, membership and group change renews after its commit
(``forum.signals``): a hidden post or an ended membership leaves kept results at once without
retiring every cached page.

Registered with the ``register_site_search_source`` hook in ``wagtail_hooks.py``.
"""

from __future__ import annotations

import hashlib
import html
import time
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext, ngettext

from search.sources import (
    Candidate,
    CandidateSet,
    Hit,
    SearchSource,
    Suggestion,
    as_date,
    autocomplete_ids,
    facet_labels,
    in_order,
    kept_candidates,
    presented,
    search_keys,
)
from serving.version import memo
from serving.viewer import viewer_for

from .models import Post, Topic, TopicKind, Visibility
from .permissions import may_use_forum, visible_groups

TYPE_VALUE = "discussion"
# Discussions rank a little below curated content (solutions, guides, schemes: +0.1) that says
# the same: a tie-breaker only (``search.ranking``).
BOOST = -0.1
# Posts whose presentation (topic, replies, snippet text) a process keeps (``present``).
KEPT_PRESENTED = 300


# The forum's own version for kept search results: posts come at volume and must not retire
# every cached page, but a hidden post, a moved topic or a membership ended must leave the
# kept results at once (``search.views._scope``).
SEARCH_VERSION_KEY = "forum:search-version"


def _new_search_version() -> None:
    cache.set(SEARCH_VERSION_KEY, time.time_ns(), None)


def discussions_changed() -> None:
    """Retire kept search results now and again after the commit (as ``bump_version``)."""
    _new_search_version()
    transaction.on_commit(_new_search_version)


def _text(body_html: str) -> str:
    """A post's words as plain text (its sanitised HTML without tags): the snippet escapes."""
    return html.unescape(strip_tags(body_html or ""))


class DiscussionSource(SearchSource):
    key = "discussions"

    @property
    def label(self):
        return gettext("Discussion")

    def kept_key(self, request) -> str:
        """The forum's search version and the groups this person may read: people of one
        audience who may read the same groups are given the same kept results."""
        readable = self._readable_groups(request)
        groups = "none" if readable is None else ",".join(map(str, sorted(readable)))
        return f"forum{self._version(request)}:" + hashlib.sha256(groups.encode()).hexdigest()[:16]

    @staticmethod
    def _version(request):
        """The forum's search version, read once a request (the kept results' key, the
        readable groups and the kept candidates all go by the same one)."""
        version = request.__dict__.get("_forum_search_version")
        if version is None:
            version = request._forum_search_version = cache.get(SEARCH_VERSION_KEY, 0)
        return version

    def _readable_groups(self, request) -> frozenset[int] | None:
        """The groups whose topics this person may read (None: no forum for them), kept per
        person under the forum's search version (a membership or a group's visibility changed
        makes a new one) and the content version."""
        viewer = viewer_for(request)
        if not may_use_forum(viewer):
            return None
        key = f"forum:search-groups:{viewer.user.pk}:{self._version(request)}:{viewer.content_version}"
        return memo.get_or_set(
            key, lambda: frozenset(visible_groups(viewer).values_list("pk", flat=True)), 60 * 60
        )

    def candidates(self, request, query, *, limit, operator="and"):
        readable = self._readable_groups(request)
        if readable is None:
            return CandidateSet([])
        viewer = viewer_for(request)
        keys, incomplete = search_keys(
            Post.objects.filter(is_hidden=False), query, limit=limit, operator=operator
        )
        # Kept under the forum's search version too: a post, a hidden topic or a moved one
        # makes a new one (``discussions_changed``).
        version = (viewer.content_version, self._version(request))
        kept = kept_candidates(self.key, version, viewer.language, keys, self._read)
        # Each topic once, at its best post's rank (the best first: its snippet).
        candidates, seen = [], set()
        for rank, key in enumerate(keys):
            found = kept.get(key)
            if found is None:
                continue
            (group_id, topic_hidden), topic = found
            if group_id in readable and not topic_hidden and topic.pk not in seen:
                seen.add(topic.pk)
                candidate = topic.again(-rank)
                candidate.post_pk = key
                candidates.append(candidate)
        return CandidateSet(candidates, incomplete)

    def _read(self, pks) -> dict:
        """For each of these posts (not hidden): who may read it (its topic's group, whether
        the topic is hidden) and its topic's candidate, as every reader would have it; two
        queries whatever their number."""
        posts = (
            Post.objects.filter(pk__in=pks, is_hidden=False)
            .select_related("topic__group")
            .only(
                "pk",
                "topic_id",
                "topic__title",
                "topic__kind",
                "topic__is_hidden",
                "topic__created_at",
                "topic__last_posted_at",
                "topic__group_id",
                "topic__group__name",
            )
        )
        posts = list(posts)
        workstreams = defaultdict(list)
        tagged = Topic.workstreams.through.objects.filter(topic_id__in={post.topic_id for post in posts})
        for pk, slug, name in tagged.values_list("topic_id", "workstream__slug", "workstream__name"):
            workstreams[pk].append((slug, name))
        kinds = dict(TopicKind.choices)
        topics, found = {}, {}
        for post in posts:
            topic = post.topic
            candidate = topics.get(topic.pk)
            if candidate is None:
                started = as_date(topic.created_at)
                facets = {
                    "type": ((TYPE_VALUE, gettext("Discussion")),),
                    "workstream": tuple(workstreams[topic.pk]),
                    "year": ((str(started.year), str(started.year)),),
                }
                candidate = topics[topic.pk] = Candidate(
                    self.key,
                    topic.pk,
                    0,
                    as_date(topic.last_posted_at),
                    facets,
                    title=topic.title,
                    names=" ".join(
                        [str(kinds.get(topic.kind, topic.kind)), topic.group.name, *facet_labels(facets)]
                    ),
                    boost=BOOST,
                    # A consultation thread is the comments on a document version: it ranks
                    # below the document, as an earlier version would (its title names the
                    # document).
                    current=topic.kind != TopicKind.CONSULTATION,
                )
            found[post.pk] = ((topic.group_id, topic.is_hidden), candidate)
        return found

    def present(self, request, candidates):
        """What the page of results shows of each topic (its matching post's words, replies,
        group): kept per content version, forum search version (every post, topic and group
        saved renews it), host and language for the posts presented before
        (``search.sources.presented``), read in one query for the others; dropped again if the
        viewer may not read the group or the topic is hidden (a hidden post is not read, and
        hiding it renews the version)."""
        readable = self._readable_groups(request)
        if readable is None or not candidates:
            return {}
        viewer = viewer_for(request)
        seen = presented(
            f"discussions:{viewer.language}",
            (viewer.content_version, self._version(request)),
            request.get_host(),
            limit=KEPT_PRESENTED,
        )
        missing = [c.post_pk for c in candidates if c.post_pk not in seen]
        if missing:
            for post in self._presented_posts(missing):
                topic = post.topic
                seen[post.pk] = (topic.group_id, topic.is_hidden, topic.pk, self._hit(post))
        hits = {}
        for candidate in candidates:
            group_id, topic_hidden, topic_pk, hit = seen.get(candidate.post_pk, (None, True, None, None))
            if hit is not None and not topic_hidden and group_id in readable:
                hits[topic_pk] = hit
        return hits

    @staticmethod
    def _presented_posts(pks):
        return (
            Post.objects.filter(pk__in=pks, is_hidden=False)
            .select_related("topic__group")
            .only(
                "pk",
                "number",
                "body_html",
                "topic_id",
                "topic__title",
                "topic__kind",
                "topic__is_hidden",
                "topic__post_count",
                "topic__accepted_post_id",
                "topic__last_posted_at",
                "topic__group_id",
                "topic__group__name",
            )
        )

    @staticmethod
    def _hit(post) -> Hit:
        topic = post.topic
        replies = max(topic.post_count - 1, 0)
        details = [topic.get_kind_display(), topic.group.name]
        if topic.accepted_post_id:
            details.append(gettext("Answered"))
        details.append(ngettext("%(n)s reply", "%(n)s replies", replies) % {"n": replies})
        return Hit(
            title=topic.title,
            url=post.get_absolute_url() if post.number > 1 else topic.get_absolute_url(),
            kind=gettext("Discussion"),
            date=as_date(topic.last_posted_at),
            text=_text(post.body_html),
            details=tuple(details),
        )

    def suggest(self, request, prefix, *, limit):
        readable = self._readable_groups(request)
        if readable is None:
            return []
        ids = autocomplete_ids(Topic.objects.filter(is_hidden=False), prefix, limit=limit * 3)
        if not ids:
            return []
        rows = Topic.objects.filter(pk__in=ids, is_hidden=False, group_id__in=readable).only("pk", "title")
        topics = in_order(rows, ids, key=lambda t: t.pk)
        return [Suggestion(t.title, t.get_absolute_url(), "") for t in topics[:limit]]

    def vocabulary(self, request, *, limit):
        """Titles of open groups' topics only: "did you mean" words are kept per audience
        (``search.views._known_words``), and a private group's titles are its members' alone."""
        if self._readable_groups(request) is None:
            return []
        rows = Topic.objects.filter(is_hidden=False, group__visibility=Visibility.OPEN).order_by(
            "-last_posted_at"
        )
        return list(rows.values_list("title", flat=True)[:limit])
