"""The site-wide Atom feeds, at ``/feeds/`` (``config.urls``); a workstream's feed is beside its
hub (``knowledge.urls``)."""

from django.urls import path

from .feeds import DocumentsFeed, SolutionsFeed

app_name = "feeds"

urlpatterns = [
    path("solutions/", SolutionsFeed(), name="solutions"),
    path("documents/", DocumentsFeed(), name="documents"),
]
