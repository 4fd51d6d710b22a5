"""The demo site, and people of every role, for the serving tests."""

import io

import pytest
from django.test import Client

from accounts import roles
from accounts.models import User
from documents.models import DocumentLibraryPage, GovernanceDocument
from home.demo import load_pages
from knowledge.models import GuidePage, KnowledgeIndexPage, SolutionPage
from schemes.demo import load_organisations, load_schemes
from schemes.models import SchemeIndexPage, SchemePage

ROLES = ["anonymous", "member", "contributor", "national editor", "moderator", "superuser"]
ROLE_GROUPS = {
    "member": roles.MEMBERS,
    "contributor": roles.CONTRIBUTORS,
    "national editor": roles.NATIONAL_EDITORS,
    "moderator": roles.MODERATORS,
}


def _load_demo(capture_on_commit_callbacks):
    from documents.demo import load_demo_documents
    from knowledge.demo import load_demo_knowledge

    load_pages(stdout=io.StringIO())
    load_schemes(stdout=io.StringIO(), organisations=load_organisations(stdout=io.StringIO()))
    with capture_on_commit_callbacks(execute=True):
        load_demo_documents(stdout=io.StringIO())
        load_demo_knowledge(stdout=io.StringIO())


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    _load_demo(django_capture_on_commit_callbacks)
    return DocumentLibraryPage.objects.get()


@pytest.fixture(scope="module")
def _demo_of_the_module(django_db_setup, django_db_blocker):
    """The demo site loaded once for a whole test module, in a transaction rolled back after
    its last test; each test runs in a savepoint inside it (as Django's ``setUpTestData``), so
    what a test changes is gone before the next. For modules whose every test takes the demo
    (a module's other tests would see it too): they override ``demo`` with ``demo_once``."""
    from django.db import transaction
    from django.test import TestCase

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            _load_demo(TestCase.captureOnCommitCallbacks)
        except BaseException as error:
            outer.__exit__(type(error), error, error.__traceback__)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo_once(_demo_of_the_module, db):
    """``demo``, loaded once per module (``_demo_of_the_module``)."""
    return DocumentLibraryPage.objects.get()


@pytest.fixture
def addresses(demo):
    """Every shareable page type and route of the demo, by name."""
    library = demo
    public = GovernanceDocument.objects.filter(collection__path__in=_unrestricted_paths()).first()
    members = GovernanceDocument.objects.exclude(pk=public.pk).filter(replaces__isnull=False).first()
    scheme = SchemePage.objects.live().first()
    knowledge = KnowledgeIndexPage.objects.get()
    schemes = SchemeIndexPage.objects.get().url
    return {
        "home": "/",
        "standard page": "/about/",
        "scheme index": schemes,
        "scheme index filtered": schemes + "?region=south_east&workstream=hate-crime",
        "usage matrix CSV": schemes + "matrix-csv/",
        "scheme page": scheme.url,
        "library": library.url,
        "library search": library.url + "?q=retention",
        "document": library.document_url(public),
        "comparison": f"{library.url}{public.pk}/compare/",
        "members' document": library.document_url(members),
        "members' comparison": f"{library.url}{members.pk}/compare/",
        "knowledge index": knowledge.url,
        "knowledge, filtered": knowledge.url
        + "?workstream=hate-crime&evidence=evaluated_locally&sort=reviewed",
        "solution": SolutionPage.objects.live().order_by("path").first().url,
        "guide": GuidePage.objects.live().order_by("path").first().url,
        "workstream hub": "/workstreams/hate-crime/",
        "workstreams": "/workstreams/",
    }


def _unrestricted_paths():
    from wagtail.models import Collection, CollectionViewRestriction

    restricted = CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    return [c.path for c in Collection.objects.all() if not c.path.startswith(tuple(restricted))]


@pytest.fixture
def person(make_user):
    """``person(role, n)``: a distinct person of a role, with their own name and e-mail."""

    def make(role, n=1, **extra):
        if role == "superuser":
            return User.objects.create_superuser(email=f"root{n}@sussex.police.uk", password="x" * 16)
        if role == "pending":
            return make_user(f"pending{n}@sussex.police.uk", approved=False, first_name=f"Pendry{n}", **extra)
        return make_user(
            f"{role.replace(' ', '')}{n}@sussex.police.uk",
            role=ROLE_GROUPS.get(role, role),
            first_name=f"Firstname{role.replace(' ', '')}{n}",
            last_name=f"Lastname{n}",
            **extra,
        )

    return make


@pytest.fixture
def client_for(person):
    def make(role, n=1, **extra):
        client = Client()
        if role != "anonymous":
            client.force_login(person(role, n, **extra))
        return client

    return make
