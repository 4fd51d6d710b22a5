from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("start-a-scheme/", views.start_scheme, name="start_scheme"),
    path("start-a-scheme/what-happens-next/", views.start_scheme_sent, name="start_scheme_sent"),
    path("progress/<int:scheme_id>/", views.progress_update, name="progress_update"),
]
