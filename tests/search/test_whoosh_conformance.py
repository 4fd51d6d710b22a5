"""modelsearch's shared backend contract (``BackendTests``), run against our Whoosh backend.

Every test of the shared class must pass here, none skipped: that is what "implements the
modelsearch backend contract" means for this project.
"""

import shutil
import sys
import tempfile
from pathlib import Path

import wagtail.search.models
from django.test import TestCase, override_settings

# The shared tests import ``modelsearch.models``, whose concrete models Wagtail defines in its
# ``wagtailsearch`` app instead (modelsearch itself is not installed): point them there.
sys.modules.setdefault("modelsearch.models", wagtail.search.models)

from modelsearch.tests.test_backends import BackendTests  # noqa: E402

from search.backends.whoosh.storage import IndexLocation  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
INDEX_PATH = tempfile.mkdtemp(prefix="bpf-test-conformance-")
BACKENDS = {
    "default": {
        "BACKEND": "search.backends.whoosh",
        "PATH": INDEX_PATH,
        "AUTO_UPDATE": False,
        "UPDATE_ON_COMMIT": False,
        "WRITER_PROCS": 1,
    }
}


@override_settings(FIXTURE_DIRS=[FIXTURES], MODELSEARCH_BACKENDS=BACKENDS, WAGTAILSEARCH_BACKENDS=BACKENDS)
class WhooshBackendConformanceTests(BackendTests, TestCase):
    backend_path = "search.backends.whoosh"

    @classmethod
    def tearDownClass(cls):
        IndexLocation.forget_searchers()
        shutil.rmtree(INDEX_PATH, ignore_errors=True)
        super().tearDownClass()
