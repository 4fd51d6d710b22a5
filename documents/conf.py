"""Settings of the document library, with their defaults.

Read through these functions (not at import time) so that tests and deployments can change a
limit with ``override_settings`` or an environment-specific settings module.
"""

from django.conf import settings

DEFAULTS = {
    # Upload checks.
    "DOCUMENTS_MAX_UPLOAD_SIZE": 25 * 1024 * 1024,
    "DOCUMENTS_ALLOWED_EXTENSIONS": ("pdf", "docx", "odt", "txt"),
    # A DOCX or ODT is a zip archive: refuse one that would unpack to more than this...
    "DOCUMENTS_MAX_UNCOMPRESSED_SIZE": 200 * 1024 * 1024,
    # ...or whose parts unpack to more than this many times their packed size (zip bombs).
    "DOCUMENTS_MAX_COMPRESSION_RATIO": 200,
    "DOCUMENTS_MAX_ARCHIVE_MEMBERS": 2000,
    # Text extraction, run in a child process so that no file can exhaust a worker.
    "DOCUMENTS_EXTRACTION_MAX_PAGES": 500,
    "DOCUMENTS_EXTRACTION_MAX_CHARACTERS": 2_000_000,
    "DOCUMENTS_EXTRACTION_TIMEOUT": 60,
    "DOCUMENTS_EXTRACTION_MEMORY_LIMIT": 768 * 1024 * 1024,
    # The library page.
    "DOCUMENTS_LIBRARY_PAGE_SIZE": 20,
    "DOCUMENTS_LIBRARY_SEARCH_LIMIT": 1000,
    "DOCUMENTS_LIBRARY_CACHE_TIMEOUT": 60 * 60,
    # Comparisons longer than this many clauses on either side are cut short.
    "DOCUMENTS_COMPARISON_MAX_CLAUSES": 3000,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])


def max_upload_size() -> int:
    return int(get("DOCUMENTS_MAX_UPLOAD_SIZE"))


def allowed_extensions() -> tuple[str, ...]:
    return tuple(ext.lower().lstrip(".") for ext in get("DOCUMENTS_ALLOWED_EXTENSIONS"))
