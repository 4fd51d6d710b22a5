from django.urls import path

from . import views
from .feeds import WorkstreamFeed

app_name = "knowledge"

urlpatterns = [
    path("", views.workstream_list, name="workstream_list"),
    path("<slug:slug>/", views.workstream_detail, name="workstream"),
    path("<slug:slug>/feed/", WorkstreamFeed(), name="workstream_feed"),
]
