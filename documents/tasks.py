"""Background work of the document library, run by django-tasks (immediately by default, by the
database backend's worker in production)."""

from django_tasks import task


@task()
def extract_document_text(document_id: int) -> None:
    """Read an uploaded document's text; queued by ``services.document_queue_extraction``."""
    from .services import document_extract_text

    document_extract_text(document_id=document_id)
