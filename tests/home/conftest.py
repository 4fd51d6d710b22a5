"""Fixtures for the home page: those of the knowledge section and the document library."""

from tests.documents.conftest import home, library, scheme  # noqa: F401 - fixtures
from tests.knowledge.conftest import (  # noqa: F401 - fixtures
    asb,
    hate_crime,
    index,
    make_document,
    members_collection,
    members_group,
)
