"""Fixtures for the document library: the library page, collections and real files."""

import datetime
import os

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.models import Collection, CollectionViewRestriction, Site

from documents.models import DocumentKind, DocumentLibraryPage, DocumentStatus
from documents.samples import make_docx, make_pdf
from documents.services import document_create
from schemes.models import Organisation, OrganisationKind, Region, SchemeIndexPage, SchemePage, Workstream

CLAUSES_V1 = [
    "# 1. Purpose",
    "1.1 The partners share information about anti-social behaviour cases.",
    "1.2 It applies to all staff with an account.",
    "# 2. Retention",
    "2.1 Records are kept for six years after a case is closed.",
    "2.2 Printed papers may be sent by secure fax.",
]
CLAUSES_V2 = [
    "# 1. Purpose",
    "1.1 The partners share information about anti-social behaviour cases.",
    "1.2 It applies to all staff with an account.",
    "# 2. Retention",
    "2.1 Records are kept for three years after a case is closed.",
    "2.2 Every account must use two-step verification.",
]


@pytest.fixture
def media_files():
    """The stored files under documents/, to prove refused uploads leave nothing behind."""
    folder = os.path.join(settings.MEDIA_ROOT, "documents")

    def listing():
        return set(os.listdir(folder)) if os.path.isdir(folder) else set()

    return listing


@pytest.fixture
def home(db):
    return Site.objects.get(is_default_site=True).root_page


@pytest.fixture
def library(home):
    page = DocumentLibraryPage(title="Document library", slug="library")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def members_collection(db):
    root = Collection.get_first_root_node()
    collection = root.add_child(name="Partnership documents")
    # Members-only: a LOGIN restriction, which the viewer's rule opens to approved members only.
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


@pytest.fixture
def scheme(home, organisation):
    index = SchemeIndexPage(title="Schemes", slug="schemes")
    home.add_child(instance=index)
    page = SchemePage(
        title="Pan-Sussex",
        slug="pan-sussex",
        summary="Sussex.",
        lead_force=organisation,
        region=Region.SOUTH_EAST,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def other_organisation(db):
    return Organisation.objects.create(
        name="Greater Manchester Police", kind=OrganisationKind.POLICE_FORCE, region=Region.NORTH_WEST
    )


@pytest.fixture
def workstream(db):
    return Workstream.objects.get(slug="anti-social-behaviour")


@pytest.fixture
def make_document(db, organisation, django_capture_on_commit_callbacks):
    """Create a document through the service, with a real file, and read its text."""

    def make(title="Pan-Sussex MoU", *, clauses=None, fmt="pdf", content=None, filename=None, **fields):
        clauses = clauses or CLAUSES_V1
        if content is None:
            content = make_pdf(clauses) if fmt == "pdf" else make_docx(clauses)
        fields.setdefault("kind", DocumentKind.MOU)
        fields.setdefault("status", DocumentStatus.AGREED)
        fields.setdefault("organisation", organisation)
        fields.setdefault("effective_date", datetime.date(2024, 4, 1))
        with django_capture_on_commit_callbacks(execute=True):
            document = document_create(
                title=title, file=ContentFile(content, name=filename or f"document.{fmt}"), **fields
            )
        document.refresh_from_db()
        return document

    return make
