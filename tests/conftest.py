"""Fixtures shared by every test folder."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts import roles
from accounts.models import ApprovalStatus, User
from schemes.models import Organisation, OrganisationEmailDomain, OrganisationKind, Region


@pytest.fixture
def organisation(db):
    org, _ = Organisation.objects.get_or_create(
        name="Sussex Police", defaults={"kind": OrganisationKind.POLICE_FORCE, "region": Region.SOUTH_EAST}
    )
    OrganisationEmailDomain.objects.get_or_create(organisation=org, domain="sussex.police.uk")
    return org


@pytest.fixture
def make_user(db, organisation):
    """Build users of a role: ``make_user("member")``, ``make_user(approved=False)``..."""

    def make(
        email="person@sussex.police.uk",
        *,
        approved=True,
        role=roles.MEMBERS,
        organisation_=None,
        password="correct horse battery staple",
        **extra,
    ):
        user = User.objects.create_user(
            email=email,
            password=password,
            first_name=extra.pop("first_name", "Sam"),
            last_name=extra.pop("last_name", "Taylor"),
            organisation=organisation_ or organisation,
            approval_status=ApprovalStatus.APPROVED if approved else ApprovalStatus.PENDING,
            **extra,
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if approved:
            user.groups.add(Group.objects.get(name=roles.MEMBERS))
        if role and role != roles.MEMBERS:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def member(make_user):
    return make_user()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and the site chrome live in the cache: no test sees another's."""
    from django.core.cache import cache

    from serving.version import memo

    cache.clear()
    memo.entries.clear()  # this process's copies of kept entries go with the shared cache
    yield
    cache.clear()
    memo.entries.clear()


# The site search's two engines: tests that take ``search_backend`` run on each.
SEARCH_BACKENDS = {
    "whoosh": lambda tmp_path: {
        "BACKEND": "search.backends.whoosh",
        "PATH": str(tmp_path / "index"),
        "AUTO_UPDATE": True,
        "UPDATE_ON_COMMIT": False,
        "LOCK_TIMEOUT": 5,
        "WRITER_PROCS": 1,
    },
    "database": lambda tmp_path: {"BACKEND": "search.backends.database", "AUTO_UPDATE": True},
}


@pytest.fixture
def search_index(settings, tmp_path):
    """Saving a model updates the site's search index at once (off by default in tests:
    config/settings/test.py), in an index of the test's own: one shared by a worker's tests
    would still hold an earlier test's rows, under ids the database hands out again."""
    from search.backends.whoosh.storage import IndexLocation

    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**params, "AUTO_UPDATE": True, "PATH": str(tmp_path / f"search-{name}")}
        for name, params in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    yield
    IndexLocation.forget_searchers()


@pytest.fixture(params=sorted(SEARCH_BACKENDS))
def search_backend(request, settings, tmp_path):
    from search.backends.whoosh.storage import IndexLocation

    settings.WAGTAILSEARCH_BACKENDS = {"default": SEARCH_BACKENDS[request.param](tmp_path)}
    yield request.param
    IndexLocation.forget_searchers()


# Tests outside a transaction (the browser and transactional passes) -----------------------


@pytest.fixture(scope="session")
def _migrated_snapshot(django_db_setup, django_db_blocker):
    """What the data migrations created (roles, workstreams, the home page and site)."""
    from django.db import connections

    with django_db_blocker.unblock():
        snapshot = connections["default"].creation.serialize_db_to_string()
    # Django's serialised rollback reads the snapshot from the connection object, and a test
    # may see another connection object than set-up's (Playwright's greenlets; a test set up
    # before any fixture of ours could hand it over). On the class, every connection object has
    # it: each serialised test starts from the migrated data, and the flush after it does not
    # run post_migrate (which would recreate content types with new ids under the next test).
    type(connections["default"])._test_serialized_contents = snapshot
    return snapshot


@pytest.fixture
def _snapshot_on_connection(_migrated_snapshot):
    """The migrated data's snapshot, on every connection object (``_migrated_snapshot``)."""
