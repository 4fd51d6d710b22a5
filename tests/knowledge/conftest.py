"""Fixtures for the knowledge section: the index page, workstreams, documents."""

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from schemes.models import Workstream
from tests.documents.conftest import make_document, members_collection  # noqa: F401 - fixtures

from .factories import KnowledgeIndexPageFactory


@pytest.fixture
def index(db):
    return KnowledgeIndexPageFactory(slug="knowledge")


@pytest.fixture
def hate_crime(db):
    return Workstream.objects.get(slug="hate-crime")


@pytest.fixture
def asb(db):
    return Workstream.objects.get(slug="anti-social-behaviour")


@pytest.fixture
def members_group(db):
    return Group.objects.get(name=roles.MEMBERS)
