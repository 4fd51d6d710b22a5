from django.urls import path

from . import admin_views

app_name = "forum_moderation"

urlpatterns = [
    path("", admin_views.review_queue, name="queue"),
    path("log/", admin_views.moderation_log, name="log"),
    path("topics/<int:topic_id>/", admin_views.topic_moderation, name="topic"),
    path("act/", admin_views.moderate, name="act"),
    path("consultations/", admin_views.consultation_list, name="consultations"),
    path("consultations/<int:consultation_id>/", admin_views.consultation_comments, name="consultation"),
]
