"""Document downloads: Wagtail's URLs and names, served through our permission-checked view.

Included by config/urls.py under ``documents/`` in place of ``wagtail.documents.urls``, so every
link to a document (rich text, choosers, the library) goes through ``views.serve``.
"""

from django.urls import path, re_path
from wagtail.documents.views import serve as wagtail_serve

from . import views

urlpatterns = [
    re_path(r"^(\d+)/(.*)$", views.serve, name="wagtaildocs_serve"),
    path(
        "authenticate_with_password/<int:restriction_id>/",
        wagtail_serve.authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
]
