"""Give the roles' document permissions the codenames Wagtail checks.

Wagtail's permission policy for a custom document model checks the permissions of its base
model, wagtaildocs.Document (add_document, change_document...). The roles migration granted
the governance document's own codenames; this grants the matching Wagtail ones on the same
collections, so contributors and editors can actually add and edit documents.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACTIONS = ["add", "change", "delete", "choose"]


def _permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    pairs = {}
    for action in ACTIONS:
        ours = Permission.objects.filter(
            content_type__app_label="documents", codename=f"{action}_governancedocument"
        ).first()
        wagtails = Permission.objects.filter(
            content_type__app_label="wagtaildocs", codename=f"{action}_document"
        ).first()
        if ours and wagtails:
            pairs[ours.pk] = wagtails
    return pairs


def grant(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    pairs = _permissions(apps)
    for grant in GroupCollectionPermission.objects.filter(permission_id__in=pairs):
        GroupCollectionPermission.objects.get_or_create(
            group_id=grant.group_id, collection_id=grant.collection_id, permission=pairs[grant.permission_id]
        )


def revoke(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    pairs = _permissions(apps)
    for grant in GroupCollectionPermission.objects.filter(permission_id__in=pairs):
        GroupCollectionPermission.objects.filter(
            group_id=grant.group_id, collection_id=grant.collection_id, permission=pairs[grant.permission_id]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_library"),
        ("accounts", "0002_roles"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
