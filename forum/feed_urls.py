"""Open groups' Atom feeds, at personal signed addresses (``forum.feeds``): outside
``forum.urls`` because a feed reader cannot sign in; never stored either."""

from django.urls import path

from .feeds import GroupFeed

app_name = "forum_feeds"

urlpatterns = [path("<str:token>/", GroupFeed(), name="group")]
