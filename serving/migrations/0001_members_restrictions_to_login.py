"""Members-only content no longer names the Members group: approval decides (serving.viewer).

A page or collection restriction for groups that include Members becomes a LOGIN restriction,
which the viewer's rule opens to approved, active members only (and superusers): the group
can no longer disagree with ``approval_status``. Going back restores Members-group
restrictions for every LOGIN restriction.
"""

from django.db import migrations

MEMBERS = "Members"


def _convert(apps, old_type, new_type, *, groups):
    Group = apps.get_model("auth", "Group")
    members = Group.objects.filter(name=MEMBERS).first()
    if members is None:
        return
    for name in ("PageViewRestriction", "CollectionViewRestriction"):
        model = apps.get_model("wagtailcore", name)
        found = model.objects.filter(restriction_type=old_type)
        if old_type == "groups":
            found = found.filter(groups=members).distinct()
        for restriction in found:
            restriction.restriction_type = new_type
            restriction.save(update_fields=["restriction_type"])
            restriction.groups.set([members] if groups else [])


def to_login(apps, schema_editor):
    _convert(apps, "groups", "login", groups=False)


def to_members_group(apps, schema_editor):
    _convert(apps, "login", "groups", groups=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_roles"),
        ("wagtailcore", "0039_collectionviewrestriction"),
    ]

    operations = [migrations.RunPython(to_login, to_members_group)]
