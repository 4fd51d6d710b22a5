"""What retires cached pages: models each app registers beside its own, after the commit."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    PageViewRestriction,
    Site,
)

from documents.models import GovernanceDocument
from schemes.models import Organisation, Workstream
from serving.retirement import retiring_models
from serving.version import _set_new_version, bump_version, current_version

pytestmark = pytest.mark.django_db


def test_each_app_registers_what_retires_cached_pages():
    registered = retiring_models()
    for model in (Site, PageViewRestriction, Organisation, Workstream, GovernanceDocument, Collection):
        assert model in registered
    for model in (CollectionViewRestriction, GroupCollectionPermission):
        assert model in registered
    relations = {item.rel.through for item in registered if hasattr(item, "rel")}
    assert {
        PageViewRestriction.groups.through,
        CollectionViewRestriction.groups.through,
        Group.permissions.through,
    } <= relations


def test_the_version_moves_again_after_the_commit(django_capture_on_commit_callbacks):
    before = current_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        bump_version()
        during = current_version()
    assert during != before  # retired at once: nothing stored before the change is served
    assert callbacks == [_set_new_version]
    callbacks[0]()
    assert current_version() not in (before, during)  # and again once the change is visible


def test_a_collection_change_retires_pages(django_capture_on_commit_callbacks):
    before = current_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Collection.get_first_root_node().add_child(name="Papers")
    assert _set_new_version in callbacks and current_version() != before
