"""Contributors draft and submit in the knowledge section only."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from accounts import roles
from home.models import StandardPage

from .factories import KnowledgeIndexPageFactory

pytestmark = pytest.mark.django_db


def test_contributor_page_permissions_only_on_the_knowledge_index(make_user):
    index = KnowledgeIndexPageFactory(slug="knowledge")
    contributors = Group.objects.get(name=roles.CONTRIBUTORS)
    pages = set(GroupPagePermission.objects.filter(group=contributors).values_list("page_id", flat=True))
    assert pages == {index.pk}
    contributor = make_user("writer@sussex.police.uk", role=roles.CONTRIBUTORS)
    home = Page.objects.get(depth=2)
    privacy = StandardPage(title="Privacy notice", slug="privacy-notice")
    home.add_child(instance=privacy)
    policy = PagePermissionPolicy()
    editable = set(
        policy.instances_user_has_permission_for(contributor, "change").values_list("pk", flat=True)
    )
    assert index.pk in editable and privacy.pk not in editable and home.pk not in editable
    assert policy.user_has_permission_for_instance(contributor, "add", index)
    assert not policy.user_has_permission_for_instance(contributor, "publish", index)


def test_one_email_per_submission_to_each_national_editor(
    make_user, mailoutbox, django_capture_on_commit_callbacks
):
    from wagtail.models import Workflow

    from .factories import SolutionPageFactory

    index = KnowledgeIndexPageFactory(slug="knowledge")
    editors = [make_user(f"editor{n}@sussex.police.uk", role=roles.NATIONAL_EDITORS) for n in range(2)]
    make_user("root@sussex.police.uk", is_superuser=True, is_staff=True)
    contributor = make_user("writer@sussex.police.uk", role=roles.CONTRIBUTORS)
    page = SolutionPageFactory(parent=index, title="Draft write-up")
    page.save_revision(user=contributor)
    workflow = page.get_workflow() or Workflow.objects.get(name="Editorial review")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.start(page, contributor)
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted(editor.email for editor in editors)
