"""The custom Wagtail document model for governance documents.

Swapped in from the first migration because Wagtail cannot change its document model later.
The fields a governance document needs (kind, status, versions, signatories...) arrive with
the document library.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document


class GovernanceDocument(AbstractDocument):
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("What the document is for and who agreed it, in a sentence or two."),
    )

    admin_form_fields = Document.admin_form_fields + ("summary",)

    class Meta(AbstractDocument.Meta):
        verbose_name = _("governance document")
        verbose_name_plural = _("governance documents")
        permissions = [("choose_governancedocument", "Can choose governance document")]
