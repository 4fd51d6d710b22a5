"""Every case URL goes through ``cases.views.case_view`` (tests/cases check each pattern)."""

from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("mou/", views.mou_accept, name="mou"),
    path("mou/acceptances/", views.acceptances, name="acceptances"),
    path("subject-access/", views.subject_access, name="subject_access"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/update/", views.case_update, name="update"),
    path("<str:reference>/edit/", views.case_edit, name="edit"),
    path("<str:reference>/notes/add/", views.note_add, name="note_add"),
    path("<str:reference>/subjects/add/", views.subject_add, name="subject_add"),
    path("<str:reference>/subjects/<int:subject_id>/edit/", views.subject_edit, name="subject_edit"),
    path("<str:reference>/actions/add/", views.action_add, name="action_add"),
    path("<str:reference>/actions/<int:action_id>/status/", views.action_status, name="action_status"),
    path("<str:reference>/attachments/add/", views.attachment_add, name="attachment_add"),
    path("<str:reference>/attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<str:reference>/share/", views.share, name="share"),
    path("<str:reference>/shares/<int:share_id>/withdraw/", views.share_withdraw, name="share_withdraw"),
    path("<str:reference>/audit/", views.audit_log, name="audit"),
]
