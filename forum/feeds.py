"""Atom feeds of open groups: the newest posts of one group, for a member's feed reader.

Forum groups are for approved members only, and a feed reader cannot sign in, so each feed
address is personal: it carries a token signed with the site's secret (``django.core.signing``,
its own salt) naming the member and the group. Every fetch builds that member's viewer as it is
then (``permissions.viewer_for_user``): someone no longer approved, or whose account is
closed, gets a 404, as does anyone with a changed or made-up token. Only **open** groups have
feeds; a private group's address is a 404 for everyone, members included (a feed reader may
share what it fetched). Hidden topics and posts never appear; post bodies are the sanitised
HTML the pages show. Answers are never stored by a shared cache. Three queries: the member,
the group, the posts (with their topics and authors).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.syndication.views import Feed
from django.core import signing
from django.http import Http404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import Post, Visibility
from .permissions import may_use_forum, viewer_for_user, visible_groups

SALT = "forum.feed"
ITEMS = 20


def feed_token(user, group) -> str:
    return signing.dumps({"u": user.pk, "g": group.pk}, salt=SALT)


def feed_url(user, group) -> str:
    return reverse("forum_feeds:group", args=[feed_token(user, group)])


class GroupFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, token):
        try:
            data = signing.loads(token, salt=SALT)
            user_id, group_id = int(data["u"]), int(data["g"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise Http404 from None
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            raise Http404
        viewer = viewer_for_user(user)
        if not may_use_forum(viewer):
            raise Http404
        group = visible_groups(viewer).filter(pk=group_id, visibility=Visibility.OPEN).first()
        if group is None:
            raise Http404
        return group

    def title(self, group):
        return _("%(group)s: new posts") % {"group": group.name}

    def link(self, group):
        return group.get_absolute_url()

    def subtitle(self, group):
        return group.description

    def items(self, group):
        return list(
            Post.objects.filter(topic__group=group, topic__is_hidden=False, is_hidden=False)
            .select_related("topic", "author")
            .order_by("-created_at", "-pk")[:ITEMS]
        )

    def item_title(self, post):
        return post.topic.title if post.number == 1 else _("Re: %(title)s") % {"title": post.topic.title}

    def item_description(self, post):
        return post.body_html

    def item_link(self, post):
        return post.get_absolute_url()

    def item_author_name(self, post):
        return _("Notice from the site") if post.is_notice else str(post.author or _("A former member"))

    def item_pubdate(self, post):
        return post.created_at

    def item_updateddate(self, post):
        return post.edited_at or post.created_at

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response
