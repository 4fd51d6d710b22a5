"""The roles of DESIGN.md section 5 as groups, with the Wagtail permissions each needs.

Wagtail's first migrations create "Editors" and "Moderators" groups and a "Moderators
approval" workflow. Here "Moderators" become forum moderators, publishing passes to the
"National editors" and the default workflow is handed to them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PAGE_PERMISSIONS = {
    "Contributors": ["add_page", "change_page"],
    "National editors": ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    "Contributors": [
        ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"), ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"), ("wagtailimages", "change_image"), ("wagtailimages", "choose_image"),
    ],
    "National editors": [
        ("wagtaildocs", "add_document"), ("wagtaildocs", "change_document"),
        ("wagtaildocs", "delete_document"), ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"), ("wagtailimages", "change_image"),
        ("wagtailimages", "delete_image"), ("wagtailimages", "choose_image"),
    ],
}
MODEL_PERMISSIONS = {
    "Members": [],
    "Contributors": [("wagtailadmin", "access_admin")],
    "National editors": [
        ("wagtailadmin", "access_admin"),
        ("schemes", "add_organisation"), ("schemes", "change_organisation"), ("schemes", "delete_organisation"),
        ("schemes", "add_workstream"), ("schemes", "change_workstream"), ("schemes", "delete_workstream"),
        ("accounts", "approve_any_account"),
        ("wagtailredirects", "add_redirect"), ("wagtailredirects", "change_redirect"), ("wagtailredirects", "delete_redirect"),
    ],
    "Moderators": [("wagtailadmin", "access_admin")],
    "Supplier staff": [],
    "Case workers": [],
}
OLD_TASK_NAME = "Moderators approval"
TASK_NAME = "National editors approval"
WORKFLOW_NAME = "Editorial review"


def _permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; these need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)

    editors = Group.objects.filter(name="Editors").first()
    if editors is not None and not editors.user_set.exists():
        editors.delete()

    for name, model_permissions in MODEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        GroupPagePermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.filter(group=group).delete()
        group.permissions.set([_permission(apps, app, code) for app, code in model_permissions])
        for codename in PAGE_PERMISSIONS.get(name, []):
            GroupPagePermission.objects.create(
                group=group, page=root_page, permission=_permission(apps, "wagtailcore", codename)
            )
        for app, codename in COLLECTION_PERMISSIONS.get(name, []):
            GroupCollectionPermission.objects.create(
                group=group, collection=root_collection, permission=_permission(apps, app, codename)
            )

    _hand_workflow_to_editors(apps, Group.objects.get(name="National editors"), root_page)


def _hand_workflow_to_editors(apps, national_editors, root_page):
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    task = GroupApprovalTask.objects.filter(name__in=[OLD_TASK_NAME, TASK_NAME]).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=content_type, active=True)
    task.name = TASK_NAME
    task.save()
    task.groups.set([national_editors])

    workflow = Workflow.objects.filter(workflow_tasks__task=task).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.name = WORKFLOW_NAME
    workflow.save()
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    GroupApprovalTask.objects.filter(name=TASK_NAME).update(name=OLD_TASK_NAME)
    Group.objects.filter(name__in=[n for n in MODEL_PERMISSIONS if n != "Moderators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("schemes", "0002_seed_workstreams"),
        ("documents", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
