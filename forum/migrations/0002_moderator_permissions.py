"""The Moderators role (accounts/0002_roles) moderates the forum: the forum's moderation
permission and the admin permissions on flags, moderation actions and groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS = "Moderators"  # accounts.roles.MODERATORS
CODENAMES = [
    "moderate_forum",
    "view_flag",
    "change_flag",
    "view_moderationaction",
    "view_forumgroup",
    "add_forumgroup",
    "change_forumgroup",
    "view_membership",
    "add_membership",
    "change_membership",
    "delete_membership",
]


def grant(apps, schema_editor):
    forum = apps.get_app_config("forum")
    forum.models_module = True
    create_permissions(forum, apps=apps, verbosity=0)
    forum.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MODERATORS)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="forum", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=MODERATORS).first()
    if group is not None:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="forum", codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
