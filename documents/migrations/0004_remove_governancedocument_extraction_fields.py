"""The extraction columns now live in ``DocumentText`` (copied there by 0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_document_text"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="governancedocument",
            name="extracted_at",
        ),
        migrations.RemoveField(
            model_name="governancedocument",
            name="extracted_file_hash",
        ),
        migrations.RemoveField(
            model_name="governancedocument",
            name="extracted_text",
        ),
        migrations.RemoveField(
            model_name="governancedocument",
            name="extraction_message",
        ),
        migrations.RemoveField(
            model_name="governancedocument",
            name="extraction_status",
        ),
        migrations.RemoveField(
            model_name="governancedocument",
            name="page_count",
        ),
        migrations.RemoveField(
            model_name="governancedocument",
            name="personal_data_checked_at",
        ),
        migrations.RemoveField(
            model_name="governancedocument",
            name="personal_data_checked_by",
        ),
        migrations.RemoveField(
            model_name="governancedocument",
            name="personal_data_findings",
        ),
    ]
