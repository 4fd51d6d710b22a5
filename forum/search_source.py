"""Forum discussions in the site search, labelled "Discussion".

Topics (their titles and workstreams) and posts (their text) are indexed; a match is shown as
its topic, once, with the best matching post's words as the snippet and a link to that post.
What the viewer may read is decided by ``forum.permissions`` alone, in the database at every
search: a private group's topics only for its members, hidden topics and posts for nobody,
nothing for anyone who may not use the forum. The index holds visible topics and members'
posts only, and the rows read back from the database are filtered again, so an index that is
behind never shows what was hidden.

Results depend on the person's memberships, not only on their audience: ``personal = True``
keeps a page of results per person (``search.views._scope``).

Registered with the ``register_site_search_source`` hook in ``wagtail_hooks.py``.
"""

from __future__ import annotations

import html
import time
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
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
    search_objects,
)
from serving.viewer import viewer_for

from .models import Post, Topic, TopicKind, Visibility
from .permissions import may_use_forum, visible_topics

TYPE_VALUE = "discussion"
# Discussions rank a little below curated content (solutions, guides, schemes: +0.1) that says
# the same: a tie-breaker only (``search.ranking``).
BOOST = -0.1


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
    personal = True

    @property
    def label(self):
        return gettext("Discussion")

    def kept_key(self, request) -> str:
        return f"forum{cache.get(SEARCH_VERSION_KEY, 0)}"

    def _topics(self, request):
        viewer = viewer_for(request)
        if not may_use_forum(viewer):
            return None
        return visible_topics(viewer)

    def candidates(self, request, query, *, limit, operator="and"):
        readable = self._topics(request)
        if readable is None:
            return CandidateSet([])
        topics, incomplete = search_objects(
            Topic.objects.filter(is_hidden=False).only("pk"), query, limit=limit, operator=operator
        )
        posts, posts_incomplete = search_objects(
            Post.objects.filter(is_hidden=False, is_notice=False).only("pk", "topic_id"),
            query,
            limit=limit,
            operator=operator,
        )
        # Each topic once, at the better of its own rank and its best post's (posts come best
        # first: the first seen of a topic is its snippet).
        best: dict[int, list] = {topic.pk: [rank, None] for rank, topic in enumerate(topics)}
        for rank, post in enumerate(posts):
            entry = best.setdefault(post.topic_id, [rank, None])
            entry[0] = min(entry[0], rank)
            if entry[1] is None:
                entry[1] = post.pk
        if not best:
            return CandidateSet([], incomplete or posts_incomplete)
        rows = readable.filter(pk__in=list(best)).values_list(
            "pk", "title", "kind", "created_at", "last_posted_at", "group__name"
        )
        rows = {row[0]: row for row in rows}
        workstreams = defaultdict(list)
        if rows:
            tagged = Topic.workstreams.through.objects.filter(topic_id__in=list(rows))
            for pk, slug, name in tagged.values_list("topic_id", "workstream__slug", "workstream__name"):
                workstreams[pk].append((slug, name))
        kinds = dict(TopicKind.choices)
        candidates = []
        for pk, (rank, post_pk) in sorted(best.items(), key=lambda item: item[1][0]):
            if pk not in rows:  # a private group's, a hidden one's, or gone
                continue
            _pk, title, kind, created_at, last_posted_at, group_name = rows[pk]
            started = as_date(created_at)
            facets = {
                "type": ((TYPE_VALUE, gettext("Discussion")),),
                "workstream": tuple(workstreams[pk]),
                "year": ((str(started.year), str(started.year)),),
            }
            candidate = Candidate(
                self.key,
                pk,
                -rank,
                as_date(last_posted_at),
                facets,
                title=title,
                names=" ".join([str(kinds.get(kind, kind)), group_name, *facet_labels(facets)]),
                boost=BOOST,
                # A consultation thread is the comments on a document version: it ranks below
                # the document, as an earlier version would (its title names the document).
                current=kind != TopicKind.CONSULTATION,
            )
            candidate.post_pk = post_pk
            candidates.append(candidate)
        return CandidateSet(candidates, incomplete or posts_incomplete)

    def present(self, request, candidates):
        """One query: the matching post of each topic (its opening post when the title matched),
        with its topic and group, among what the viewer may read; a second only for a topic
        whose post went meanwhile."""
        readable = self._topics(request)
        if readable is None or not candidates:
            return {}
        wanted = {c.pk: getattr(c, "post_pk", None) for c in candidates}
        which = Q(pk__in=[p for p in wanted.values() if p]) | Q(
            topic_id__in=[t for t, p in wanted.items() if not p], number=1
        )
        posts = (
            Post.objects.filter(which, is_hidden=False, topic__in=readable.values("pk"))
            .select_related("topic__group")
            .only(
                "pk",
                "number",
                "body_html",
                "topic_id",
                "topic__title",
                "topic__kind",
                "topic__post_count",
                "topic__accepted_post_id",
                "topic__last_posted_at",
                "topic__group__name",
            )
        )
        found = {post.topic_id: post for post in posts if wanted.get(post.topic_id) in (None, post.pk)}
        missing = [pk for pk in wanted if pk not in found]
        topics = {t.pk: t for t in readable.filter(pk__in=missing).select_related("group")} if missing else {}
        hits = {}
        for pk in wanted:
            post = found.get(pk)
            topic = post.topic if post is not None else topics.get(pk)
            if topic is None:  # hidden, moved out of reach or gone since the search
                continue
            replies = max(topic.post_count - 1, 0)
            details = [topic.get_kind_display(), topic.group.name]
            if topic.accepted_post_id:
                details.append(gettext("Answered"))
            details.append(ngettext("%(n)s reply", "%(n)s replies", replies) % {"n": replies})
            url = (
                post.get_absolute_url() if post is not None and post.number > 1 else topic.get_absolute_url()
            )
            hits[pk] = Hit(
                title=topic.title,
                url=url,
                kind=gettext("Discussion"),
                date=as_date(topic.last_posted_at),
                text=_text(post.body_html) if post is not None else "",
                details=tuple(details),
            )
        return hits

    def suggest(self, request, prefix, *, limit):
        readable = self._topics(request)
        if readable is None:
            return []
        ids = autocomplete_ids(Topic.objects.filter(is_hidden=False), prefix, limit=limit * 3)
        if not ids:
            return []
        topics = in_order(readable.filter(pk__in=ids).only("pk", "title"), ids, key=lambda t: t.pk)
        return [Suggestion(t.title, t.get_absolute_url(), "") for t in topics[:limit]]

    def vocabulary(self, request, *, limit):
        """Titles of open groups' topics only: "did you mean" words are kept per audience
        (``search.views._known_words``), and a private group's titles are its members' alone."""
        readable = self._topics(request)
        if readable is None:
            return []
        rows = readable.filter(group__visibility=Visibility.OPEN).order_by("-last_posted_at")
        return list(rows.values_list("title", flat=True)[:limit])
