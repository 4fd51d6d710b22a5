"""The one forum address open without signing in: the signed one-click unsubscribe link of the
forum's e-mails (``forum.digests``). Kept out of ``forum.urls``, where every view is
members-only (``forum_view``); its answers are never stored either."""

from django.urls import path

from . import views

app_name = "forum_unsubscribe"

urlpatterns = [path("<str:token>/", views.unsubscribe, name="unsubscribe")]
