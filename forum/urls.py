"""The forum's addresses. Every view goes through ``forum_view`` here, by construction: a
test walks these patterns and checks each answer is private and never stored."""

from django.urls import path

from . import solutions, views
from .views import forum_view

app_name = "forum"


def _path(route, view, name):
    return path(route, forum_view(view), name=name)


urlpatterns = [
    _path("", views.group_list, "groups"),
    _path("notifications/", views.notifications, "notifications"),
    _path("topics/<int:topic_id>/", views.topic_detail, "topic"),
    _path("topics/<int:topic_id>/unread/", views.topic_first_unread, "topic_unread"),
    _path("topics/<int:topic_id>/updates/", views.topic_updates, "topic_updates"),
    _path("topics/<int:topic_id>/reply/", views.topic_reply, "reply"),
    _path("topics/<int:topic_id>/draft/", views.reply_draft, "reply_draft"),
    _path("topics/<int:topic_id>/watch/", views.topic_watch, "watch"),
    _path("topics/<int:topic_id>/document/", views.consultation_document, "consultation_document"),
    _path("topics/<int:topic_id>/refer/", views.topic_refer, "refer"),
    _path("topics/<int:topic_id>/solution/", solutions.topic_to_solution, "to_solution"),
    _path("workstreams/<slug:slug>/", views.workstream_topics, "workstream"),
    _path("workstreams/<slug:slug>/watch/", views.workstream_watch, "workstream_watch"),
    _path("colleagues/", views.colleagues, "colleagues"),
    _path("colleagues/me/", views.colleague_me, "colleague_me"),
    _path("colleagues/<int:profile_id>/contact/", views.colleague_contact, "colleague_contact"),
    _path("referrals/", views.referral_queue, "referrals"),
    _path("referrals/<int:referral_id>/", views.referral_detail, "referral"),
    _path("posts/<int:post_id>/", views.post_detail, "post"),
    _path("posts/<int:post_id>/edit/", views.post_edit, "post_edit"),
    _path("posts/<int:post_id>/helpful/", views.post_helpful, "post_helpful"),
    _path("posts/<int:post_id>/accept/", views.post_accept, "post_accept"),
    _path("posts/<int:post_id>/flag/", views.post_flag, "post_flag"),
    _path("groups/<slug:slug>/", views.group_detail, "group"),
    _path("groups/<slug:slug>/join/", views.group_join, "join"),
    _path("groups/<slug:slug>/leave/", views.group_leave, "leave"),
    _path("groups/<slug:slug>/watch/", views.group_watch, "group_watch"),
    _path("groups/<slug:slug>/new/", views.topic_create, "topic_create"),
    _path("groups/<slug:slug>/draft/", views.topic_draft, "topic_draft"),
    _path("groups/<slug:slug>/referrals/", views.referral_report, "referral_report"),
    _path("groups/<slug:slug>/meetings/", views.group_meetings, "meetings"),
    _path("groups/<slug:slug>/actions/<int:action_id>/", views.action_status, "action_status"),
    _path("groups/<slug:slug>/requests/", views.join_requests, "join_requests"),
    _path("groups/<slug:slug>/requests/<int:request_id>/", views.join_request_decide, "join_request_decide"),
]
