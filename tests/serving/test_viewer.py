"""The viewer: one rule per restriction type, checked against Wagtail's own, and its cost."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.sessions.backends.cache import SessionStore
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site

from accounts import roles
from accounts.models import ApprovalStatus, User
from serving.viewer import GROUPS, LOGIN, PASSWORD, Viewer, passes, viewer_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return Group.objects.create(name="Pan-Sussex steering group")


@pytest.fixture
def people(make_user, group):
    """Every kind of viewer the rule must answer for."""
    in_group_pending = make_user("pending-in-group@sussex.police.uk", approved=False)
    in_group_pending.groups.add(group)
    rejected = make_user("rejected@sussex.police.uk", approved=False)
    rejected.approval_status = ApprovalStatus.REJECTED
    rejected.save()
    in_group = make_user("steering@sussex.police.uk")
    in_group.groups.add(group)
    superuser = User.objects.create_superuser(email="root@sussex.police.uk", password="x" * 16)
    return {
        "anonymous": AnonymousUser(),
        "pending": make_user("pending@sussex.police.uk", approved=False),
        "pending in the group": in_group_pending,
        "rejected": rejected,
        "approved member": make_user("member@sussex.police.uk"),
        "approved member of the group": in_group,
        "member of another group": make_user("supplier@sussex.police.uk", role=roles.SUPPLIER_STAFF),
        "superuser": superuser,
    }


def _restrictions(model, target, group):
    made = []
    for kind in (PASSWORD, LOGIN, GROUPS):
        fields = {"page": target} if model is PageViewRestriction else {"collection": target}
        restriction = model.objects.create(restriction_type=kind, password="plover", **fields)
        if kind == GROUPS:
            restriction.groups.set([group])
        made.append(restriction)
    return made


def _request(rf, user, passed_key=None, passed=()):
    request = rf.get("/")
    request.user = user
    request.session = SessionStore()
    if passed_key:
        request.session[passed_key] = list(passed)
    return request


@pytest.mark.parametrize("model", [PageViewRestriction, CollectionViewRestriction])
def test_the_rule_equals_wagtails_except_stricter_for_people_not_approved(rf, people, group, model):
    if model is PageViewRestriction:
        target = Site.objects.get(is_default_site=True).root_page
        kind = "page"
    else:
        target = Collection.get_first_root_node().add_child(name="Steering papers")
        kind = "collection"
    restrictions = _restrictions(model, target, group)
    password = restrictions[0]
    stricter = []
    for (name, user), passed_password in itertools.product(people.items(), (False, True)):
        passed = [password.pk] if passed_password else []
        for restriction in restrictions:
            request = _request(rf, user, model.passed_view_restrictions_session_key, passed)
            ours = passes(
                Viewer(request),
                restriction.restriction_type,
                restriction.pk,
                {g.pk for g in restriction.groups.all()},
                kind=kind,
            )
            wagtails = restriction.accept_request(request)
            signed_in_not_approved = user.is_authenticated and not (
                user.is_superuser or user.approval_status == ApprovalStatus.APPROVED
            )
            if not signed_in_not_approved:
                assert ours == wagtails, (name, restriction.restriction_type, passed_password)
            else:
                # Stricter, never more lenient: ours may refuse where Wagtail accepts.
                assert not ours or wagtails, (name, restriction.restriction_type)
                if ours != wagtails:
                    stricter.append((name, restriction.restriction_type))
    # Exactly the members-only restrictions, for every signed-in person not approved.
    assert {(name, kind_) for name, kind_ in stricter} == {
        ("pending", LOGIN),
        ("rejected", LOGIN),
        ("pending in the group", LOGIN),
        ("pending in the group", GROUPS),
    }


def test_password_restrictions_of_pages_and_collections_are_told_apart(rf, member):
    page_restriction = PageViewRestriction.objects.create(
        page=Site.objects.get(is_default_site=True).root_page, restriction_type=PASSWORD, password="a"
    )
    request = _request(
        rf, member, PageViewRestriction.passed_view_restrictions_session_key, [page_restriction.pk]
    )
    viewer = Viewer(request)
    assert passes(viewer, PASSWORD, page_restriction.pk, set(), kind="page")
    assert not passes(viewer, PASSWORD, page_restriction.pk, set(), kind="collection")


def test_a_viewer_costs_one_query_beyond_the_user_and_none_when_warm(
    rf, make_user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupCollectionPermission  # noqa: F401 - the site facts read it

    contributor = make_user("contributor@sussex.police.uk", role=roles.CONTRIBUTORS)
    member = make_user("member@sussex.police.uk")
    assert Viewer(_request(rf, member)).hidden_page_paths == ()  # warms the site-wide facts
    for user in (member, contributor):
        for queries in (1, 0):  # their groups and direct-permission marker, then kept
            with django_assert_num_queries(queries):
                viewer = Viewer(_request(rf, user))
                facts = [viewer.audience_key, viewer.hidden_page_paths, viewer.hidden_collection_paths]
                facts += [viewer.can_edit, viewer.can_edit_documents, viewer.restricted_collection_paths]
            assert len(facts) == 6
    assert Viewer(_request(rf, contributor)).can_edit
    assert Viewer(_request(rf, contributor)).can_edit_documents
    assert not Viewer(_request(rf, member)).can_edit
    # A change of groups or direct permissions, committed, counts at once.
    with django_capture_on_commit_callbacks(execute=True):
        contributor.groups.remove(Group.objects.get(name=roles.CONTRIBUTORS))
    assert not Viewer(_request(rf, contributor)).can_edit
    with django_capture_on_commit_callbacks(execute=True):
        member.user_permissions.add(Permission.objects.get(codename="access_admin"))
    viewer = Viewer(_request(rf, member))
    assert viewer.has_direct_permissions and viewer.audience_key is None
    # A group's people changed from the group's side, or the group deleted, count as well.
    editors = Group.objects.get(name=roles.NATIONAL_EDITORS)
    with django_capture_on_commit_callbacks(execute=True):
        editors.user_set.add(contributor)
    assert Viewer(_request(rf, contributor)).can_edit_pages
    with django_capture_on_commit_callbacks(execute=True):
        editors.delete()
    assert not Viewer(_request(rf, contributor)).can_edit


def test_groups_read_just_before_a_removal_commits_are_not_kept_after_it(
    rf, make_user, monkeypatch, django_capture_on_commit_callbacks
):
    """The interleaving: a request reads the person's groups, the removal commits (and retires
    what is kept), then the request keeps what it read. The next request must not use it."""
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    contributor = make_user("contributor@sussex.police.uk", role=roles.CONTRIBUTORS)
    contributors = Group.objects.get(name=roles.CONTRIBUTORS)
    keep = cache.set

    def keep_after_the_removal_commits(key, value, *args, **kwargs):
        if key.startswith("serving:groups:"):
            with django_capture_on_commit_callbacks(execute=True):
                contributor.groups.remove(contributors)
        return keep(key, value, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(cache, "set", keep_after_the_removal_commits)
        assert Viewer(_request(rf, contributor)).can_edit_documents  # read before the removal
    assert not Viewer(_request(rf, contributor)).can_edit_documents


def test_audience_keys(rf, make_user):
    from django.contrib.auth.models import Permission

    first, second = make_user("a@sussex.police.uk"), make_user("b@sussex.police.uk")
    pending = make_user("c@sussex.police.uk", approved=False)
    editor = make_user("d@sussex.police.uk", role=roles.NATIONAL_EDITORS)
    granted = make_user("e@sussex.police.uk")
    granted.user_permissions.add(Permission.objects.get(codename="view_user"))
    superuser = User.objects.create_superuser(email="root@sussex.police.uk", password="x" * 16)

    def key(user, passed=()):
        return Viewer(
            _request(rf, user, PageViewRestriction.passed_view_restrictions_session_key, passed)
        ).audience_key

    assert key(first) == key(second) is not None
    assert key(pending) not in (None, key(first))
    assert key(first, [7]) != key(first)
    assert key(editor) is key(granted) is key(superuser) is None
    assert key(AnonymousUser()) is None


def test_viewer_for_builds_one_viewer_per_request(rf, member):
    request = _request(rf, member)
    assert viewer_for(request) is viewer_for(request) is request.viewer


@pytest.fixture
def members_news(db):
    """A members-only page: a LOGIN restriction."""
    from home.models import StandardPage

    home = Site.objects.get(is_default_site=True).root_page
    page = StandardPage(title="Members' news", slug="news")
    home.add_child(instance=page)
    page.save_revision().publish()
    PageViewRestriction.objects.create(page=Page.objects.get(pk=page.pk), restriction_type=LOGIN)
    return page


def test_a_login_restricted_page_is_refused_to_a_pending_person(client, make_user, members_news):
    assert client.get("/news/").status_code == 302  # anonymous: Wagtail's sign-in
    client.force_login(make_user("pending@sussex.police.uk", approved=False))
    response = client.get("/news/")
    assert response.status_code == 403 and "waiting for approval" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    client.force_login(make_user("member@sussex.police.uk"))
    assert client.get("/news/").status_code == 200


def test_an_alias_of_a_members_only_page_is_refused_to_a_pending_person(client, make_user, members_news):
    members_news.create_alias(update_slug="news-alias")
    client.force_login(make_user("pending@sussex.police.uk", approved=False))
    assert client.get("/news-alias/").status_code == 403
