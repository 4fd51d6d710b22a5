from django.db import migrations

CASE_SUPERVISORS = "Case supervisors"


def create(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=CASE_SUPERVISORS)


def remove(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CASE_SUPERVISORS).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create, remove)]
