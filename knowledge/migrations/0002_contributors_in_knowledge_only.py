"""Contributors add and change pages in the knowledge section only: their page permissions move
from the tree's root to each knowledge index page (reversible: back to the root)."""

from django.db import migrations

CONTRIBUTORS = "Contributors"
CODENAMES = ["add_page", "change_page"]


def _context(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    group = Group.objects.filter(name=CONTRIBUTORS).first()
    permissions = list(Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=CODENAMES))
    return group, permissions, GroupPagePermission


def to_knowledge(apps, schema_editor):
    group, permissions, GroupPagePermission = _context(apps)
    if group is None:
        return
    Page = apps.get_model("wagtailcore", "Page")
    KnowledgeIndexPage = apps.get_model("knowledge", "KnowledgeIndexPage")
    GroupPagePermission.objects.filter(group=group, page__depth=1, permission__in=permissions).delete()
    for index in KnowledgeIndexPage.objects.all():
        page = Page.objects.get(pk=index.pk)
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def to_root(apps, schema_editor):
    group, permissions, GroupPagePermission = _context(apps)
    if group is None:
        return
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission.objects.filter(group=group, permission__in=permissions).delete()
    root = Page.objects.get(depth=1)
    for permission in permissions:
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("knowledge", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_knowledge, to_root)]
