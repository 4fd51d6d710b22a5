from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<int:user_id>/", views.approval_decide, name="approval_decide"),
]
