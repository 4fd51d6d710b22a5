"""The Supplier staff role (accounts/0002_roles) moves referrals through their statuses."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SUPPLIER_STAFF = "Supplier staff"  # accounts.roles.SUPPLIER_STAFF
CODENAMES = ["manage_referrals"]


def grant(apps, schema_editor):
    forum = apps.get_app_config("forum")
    forum.models_module = True
    create_permissions(forum, apps=apps, verbosity=0)
    forum.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=SUPPLIER_STAFF)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="forum", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=SUPPLIER_STAFF).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="forum", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0003_consultations_referrals"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
