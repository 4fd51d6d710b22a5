"""Extracted text and everything about reading it move from ``GovernanceDocument`` to their own
one-to-one ``DocumentText`` (this migration copies the values; 0004 removes the old columns).

Two migrations, not one: on PostgreSQL the new rows' foreign-key checks are deferred to the end
of the transaction, and the old table cannot be altered while they are pending.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FIELDS = {
    # DocumentText field: GovernanceDocument field
    "text": "extracted_text",
    "status": "extraction_status",
    "message": "extraction_message",
    "file_hash": "extracted_file_hash",
    "extracted_at": "extracted_at",
    "page_count": "page_count",
    "personal_data_findings": "personal_data_findings",
    "personal_data_checked_at": "personal_data_checked_at",
    "personal_data_checked_by_id": "personal_data_checked_by_id",
}
BATCH = 500


def copy_to_document_text(apps, schema_editor):
    GovernanceDocument = apps.get_model("documents", "GovernanceDocument")
    DocumentText = apps.get_model("documents", "DocumentText")
    rows = GovernanceDocument.objects.order_by("pk").values("pk", *FIELDS.values())
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(DocumentText(document_id=row["pk"], **{new: row[old] for new, old in FIELDS.items()}))
        if len(batch) >= BATCH:
            DocumentText.objects.bulk_create(batch)
            batch = []
    DocumentText.objects.bulk_create(batch)


def copy_back_to_document(apps, schema_editor):
    GovernanceDocument = apps.get_model("documents", "GovernanceDocument")
    DocumentText = apps.get_model("documents", "DocumentText")
    for record in DocumentText.objects.order_by("pk").iterator(chunk_size=BATCH):
        values = {old: getattr(record, new) for new, old in FIELDS.items()}
        if values["extraction_status"] == "running":  # unknown before this migration
            values["extraction_status"] = "pending"
        GovernanceDocument.objects.filter(pk=record.document_id).update(**values)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_library"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentText",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="extraction",
                        serialize=False,
                        to="documents.governancedocument",
                        verbose_name="document",
                    ),
                ),
                ("text", models.TextField(blank=True, verbose_name="extracted text")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting to be read"),
                            ("running", "Being read"),
                            ("done", "Text extracted"),
                            ("partial", "Text extracted in part"),
                            ("failed", "Text could not be read"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="text extraction",
                    ),
                ),
                ("message", models.TextField(blank=True, verbose_name="extraction message")),
                ("file_hash", models.CharField(blank=True, max_length=40)),
                ("queued_at", models.DateTimeField(blank=True, null=True)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("extracted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "duration",
                    models.DurationField(blank=True, help_text="How long the reading took.", null=True),
                ),
                ("page_count", models.PositiveIntegerField(blank=True, null=True)),
                ("personal_data_findings", models.JSONField(blank=True, default=list)),
                ("personal_data_checked_at", models.DateTimeField(blank=True, null=True)),
                (
                    "personal_data_checked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "document text",
                "verbose_name_plural": "document texts",
                "indexes": [
                    models.Index(fields=["status", "started_at"], name="documenttext_status_started")
                ],
            },
        ),
        migrations.RunPython(copy_to_document_text, copy_back_to_document),
    ]
