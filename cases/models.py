"""Multi-agency cases shared between partner organisations, the MoU acceptances that open
them, and the audit log of every access.

Plain Django models, on purpose: none is registered with the Django or Wagtail admin, the
search index (no ``index.Indexed``) or any feed. Notes and audit events are append-only: the
application has no path that changes or deletes one (``save`` refuses an update, ``delete``
and queryset ``update``/``delete`` refuse outright); only the retention command removes notes,
with the case they belong to.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """Raised when code tries to change or delete an append-only row."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly(f"{self.model.__name__} rows are never changed.")

    def delete(self):
        raise AppendOnly(f"{self.model.__name__} rows are never deleted.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly(f"{type(self).__name__} rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(f"{type(self).__name__} rows are never deleted.")


def private_storage():
    """Attachments live outside MEDIA_ROOT and have no URL: only ``cases.views.attachment``
    serves them, after the access check."""
    return FileSystemStorage(location=settings.CASES_PRIVATE_ROOT, base_url=None)


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class CaseReferenceCounter(models.Model):
    """The last number given out per prefix and year (``cases.services.next_reference``)."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="unique_case_counter")]


class Case(models.Model):
    reference = models.CharField(_("reference"), max_length=30, unique=True, editable=False)
    workstream = models.ForeignKey(
        "schemes.Workstream", verbose_name=_("workstream"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM
    )
    owner = models.ForeignKey(
        "schemes.Organisation",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="owned_cases",
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead officer"),
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    scheme = models.ForeignKey(
        "schemes.SchemePage", verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    retention_date = models.DateField(_("delete after"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="case_updated"),
            models.Index(fields=["owner", "-updated_at"], name="case_owner_updated"),
            models.Index(fields=["status", "retention_date"], name="case_status_retention"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.reference])


class SubjectRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    PERPETRATOR = "perpetrator", _("Perpetrator")
    WITNESS = "witness", _("Witness")
    VULNERABLE = "vulnerable", _("Vulnerable person")


class Subject(models.Model):
    """A person in a case, with the few identifying details a partner needs."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="subjects")
    role = models.CharField(_("role"), max_length=12, choices=SubjectRole.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    address = models.CharField(_("address or area"), max_length=300, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["full_name"], name="casesubject_name")]

    def __str__(self):
        return self.full_name


class Note(AppendOnlyModel):
    """One entry of a case's timeline. Never changed: a correction is a new note that refers
    to the one it corrects."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(_("note"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("schemes.Organisation", on_delete=models.PROTECT, related_name="+")
    corrects = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="corrections"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class ActionStatus(models.TextChoices):
    TO_DO = "to_do", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class Action(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("what needs doing"), max_length=300)
    assigned_organisation = models.ForeignKey(
        "schemes.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_date = models.DateField(_("due by"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.TO_DO
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to="%Y/%m", max_length=255)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("schemes.Organisation", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]


class ShareLevel(models.TextChoices):
    READ = "read", _("Read")
    CONTRIBUTE = "contribute", _("Read and contribute")


class CaseShare(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "schemes.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("access"), max_length=12, choices=ShareLevel.choices, default=ShareLevel.READ)
    reason = models.TextField(_("reason for sharing"))
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shared_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "organisation"], name="unique_case_share")]
        indexes = [models.Index(fields=["organisation", "case"], name="caseshare_org_case")]


class ShareWithdrawal(models.Model):
    """The owning organisation withdrew a share: the share row is gone (so the access rule,
    which asks only for share rows, refuses at once) and this records what it was, who
    withdrew it, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="withdrawals")
    organisation = models.ForeignKey("schemes.Organisation", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=12, choices=ShareLevel.choices)
    shared_reason = models.TextField()
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField()
    reason = models.TextField(_("reason for withdrawing"))
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["withdrawn_at", "pk"]


class MoUAcceptance(AppendOnlyModel):
    """A case worker accepted this exact MoU version in this session (after this sign-in)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("schemes.Organisation", on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(
        settings.WAGTAILDOCS_DOCUMENT_MODEL, on_delete=models.PROTECT, related_name="case_acceptances"
    )
    session_key = models.CharField(max_length=64)
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        indexes = [models.Index(fields=["user", "session_key"], name="mouacceptance_session")]


class AuditEvent(AppendOnlyModel):
    """Who did what to which case record, when, and why where the law asks (DPA 2018 s.62).

    Names the case by its reference (text, no foreign key) so the record outlives the case,
    and no deletion cascades to it. The database refuses to change or delete a row too
    (triggers of migration 0005, on PostgreSQL and SQLite)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "schemes.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=30)
    case_reference = models.CharField(max_length=30, blank=True, db_index=True)
    object_type = models.CharField(max_length=30, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    justification = models.TextField(blank=True)
    # For changes: the names of the fields changed (never their values).
    changed_fields = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
