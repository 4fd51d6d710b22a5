from django.db import migrations

CASE_SUPERVISORS = "Case supervisors"


def create(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=CASE_SUPERVISORS)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    # Going back leaves the group (empty and harmless; going forward again finds it): deleting it
    # here would run Django's deletion collector over historical models of other apps, which
    # fails when this is unapplied together with them (tests/migrations).
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
