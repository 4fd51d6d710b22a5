"""Business rules of the knowledge section."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from accounts import roles


def contributors_grant(index_page) -> None:
    """Give the Contributors group its page permissions (``roles.CONTRIBUTOR_PAGE_PERMISSIONS``)
    on a knowledge index page, so they draft and submit solutions and guides there and nowhere
    else. Safe to run twice."""
    group = Group.objects.filter(name=roles.CONTRIBUTORS).first()
    if group is None:
        return
    for codename in roles.CONTRIBUTOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=index_page, permission=permission)
