"""People who use the forum and how their accounts are approved.

A person signs up with a work e-mail address; its domain ties them to an organisation, and an
approver of that organisation (or a national administrator) approves them before they see
members-only content. Approval puts them in the "Members" group, which page privacy uses.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("approval_status", ApprovalStatus.APPROVED)
        return self._create_user(email, password, **extra_fields)


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class DigestFrequency(models.TextChoices):
    NEVER = "never", _("Never")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class User(AbstractUser):
    """A member of staff of a partner organisation, signed in by e-mail address."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    # Who they are at work.
    organisation = models.ForeignKey(
        "schemes.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)

    # How they want to hear from the forum.
    notify_by_email = models.BooleanField(_("e-mail me about replies and mentions"), default=True)
    digest_frequency = models.CharField(
        _("summary e-mail"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )

    # Approval by the organisation, and who may approve others of it.
    approval_status = models.CharField(
        _("approval"), max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    approval_decided_at = models.DateTimeField(_("approval decided at"), null=True, blank=True)
    approval_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approval decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_organisation_approver = models.BooleanField(
        _("approves accounts for their organisation"), default=False
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("approve_any_account", _("Can approve accounts of any organisation"))]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def is_approved(self) -> bool:
        return self.approval_status == ApprovalStatus.APPROVED
