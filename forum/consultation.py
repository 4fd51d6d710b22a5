"""Consultation on governance documents: a thread in the national best-practice group.

A version going into consultation (its status "in consultation", however it was set: the
admin's form, ``documents.services``, the demo) opens a ``Consultation``: a topic of kind
"consultation" whose first post is a notice from the site. Members comment on the whole
document or on a numbered clause; clause N is the Nth clause of the version's extracted text
as the version comparison splits it (``documents.comparison.clauses``). When the version
leaves consultation (agreed, superseded, withdrawn, back to draft) the topic is locked with a
notice; going back into consultation reopens it.

The document's page (shared per audience by the page cache) shows the comment counts per
clause through the ``document_page_sections`` hook: counts only, never names, and nothing at
all when the thread's group is private or the topic hidden (membership is not part of the
audience). Posting a comment retires the cached pages (``Consultation`` is cache-retiring).
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from documents.comparison import clauses
from documents.models import DocumentStatus, DocumentText, GovernanceDocument

from .kept import touch_topic
from .models import Consultation, ForumGroup, GroupKind, Post, Topic, TopicKind, Visibility
from .services import ForumError, _new_post, _notify_for_post

logger = logging.getLogger(__name__)

EXCERPT_WORDS = 14


def national_group() -> ForumGroup | None:
    return ForumGroup.objects.filter(kind=GroupKind.NATIONAL).order_by("pk").first()


def document_clauses(document_id: int) -> list[str]:
    """The numbered clauses of a version (clause N is item N-1); none until its text is read."""
    text = DocumentText.objects.filter(pk=document_id).values_list("text", flat=True).first()
    return clauses(text or "")


def excerpt(clause: str, words: int = EXCERPT_WORDS) -> str:
    parts = clause.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def check_clause(consultation: Consultation, clause: int | None, known: list[str] | None = None) -> None:
    """None is the whole document; otherwise a clause this version has."""
    if clause is None:
        return
    count = len(known if known is not None else document_clauses(consultation.document_id))
    if not 1 <= clause <= count:
        if not count:
            raise ForumError(
                _("The text of this version has not been read yet: comment on the whole document for now.")
            )
        raise ForumError(
            _(
                "This version has no clause %(n)s: choose one of clauses 1 to %(count)s, or the whole document."
            )
            % {"n": clause, "count": count}
        )


def _title(document: GovernanceDocument) -> str:
    title = _("Consultation: %(title)s") % {"title": document.title}
    if document.version_label:
        title += " " + _("(version %(v)s)") % {"v": document.version_label}
    return title[:200]


def _notice(topic: Topic, body: str) -> Post:
    """A post from the site itself, numbered like any other; watchers are notified."""
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    post = _new_post(topic=locked, author=None, body=body, form_token="", is_notice=True)
    _notify_for_post(post)
    return post


@transaction.atomic
def consultation_sync(*, document: GovernanceDocument) -> Consultation | None:
    """Open, close or reopen the document's thread to match its status."""
    consultation = Consultation.objects.select_related("topic").filter(document=document).first()
    consulting = document.status == DocumentStatus.IN_CONSULTATION
    if consultation is None:
        return _open(document) if consulting else None
    if consulting and not consultation.is_open:
        _set_open(consultation, True, _("This version is in consultation again: comments are open."))
    elif not consulting and consultation.is_open:
        notice = {
            DocumentStatus.AGREED: _("Version %(v)s was agreed on %(date)s. This consultation is closed."),
            DocumentStatus.SUPERSEDED: _(
                "This version was superseded on %(date)s. This consultation is closed."
            ),
            DocumentStatus.WITHDRAWN: _(
                "This version was withdrawn on %(date)s. This consultation is closed."
            ),
        }.get(document.status, _("This version left consultation on %(date)s. This consultation is closed."))
        today = date_format(timezone.localdate(), "j F Y")
        _set_open(
            consultation, False, notice % {"v": document.version_label or document.title, "date": today}
        )
    return consultation


def _open(document: GovernanceDocument) -> Consultation | None:
    group = national_group()
    if group is None:
        logger.warning("No national best-practice group: no consultation thread for document %s", document.pk)
        return None
    topic = Topic.objects.create(
        group=group,
        title=_title(document),
        kind=TopicKind.CONSULTATION,
        author=None,
        last_posted_at=timezone.now(),
    )
    consultation = Consultation.objects.create(document=document, topic=topic)
    _notice(
        topic,
        _(
            "**%(title)s** is in consultation. Comment on the whole document or on a numbered clause: "
            "choose the clause when you reply. The document's page shows how many comments each clause has."
        )
        % {"title": document.title},
    )
    return consultation


def _set_open(consultation: Consultation, open_: bool, notice: str) -> None:
    topic = consultation.topic
    if open_:
        Topic.objects.filter(pk=topic.pk).update(is_locked=False)
        consultation.closed_at = None
        topic.is_locked = False
        _notice(topic, notice)
    else:
        _notice(topic, notice)
        Topic.objects.filter(pk=topic.pk).update(is_locked=True)
        topic.is_locked = True
        consultation.closed_at = timezone.now()
    consultation.save(update_fields=["closed_at"])
    touch_topic(topic.pk)  # locked or opened with update(), which sends no signal


def consultation_touch(consultation_id: int) -> None:
    """A comment changed the counts: retire the cached document pages (a save does)."""
    consultation = Consultation.objects.filter(pk=consultation_id).first()
    if consultation is not None:
        consultation.save(update_fields=["closed_at"])


def consultation_touch_topic(topic_id: int) -> None:
    consultation = Consultation.objects.filter(topic_id=topic_id).only("pk").first()
    if consultation is not None:
        consultation_touch(consultation.pk)


# Reading ------------------------------------------------------------------------------------


def clause_counts(topic_id: int) -> dict[int | None, int]:
    """Visible comments per clause (None: the whole document), one query."""
    rows = (
        Post.objects.filter(topic_id=topic_id, is_hidden=False, is_notice=False)
        .values("clause")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["clause"]: row["n"] for row in rows}


def clause_rows(texts: list[str], counts: dict[int | None, int]) -> list[dict]:
    """Every clause with its count, then any numbers commented on that this text lacks (the
    file was replaced after comments were made)."""
    rows = [
        {"number": n, "excerpt": excerpt(text), "count": counts.get(n, 0)} for n, text in enumerate(texts, 1)
    ]
    rows.extend(
        {"number": n, "excerpt": "", "count": counts[n]}
        for n in sorted(k for k in counts if k is not None and k > len(texts))
    )
    return rows


def _clause_excerpts(document: GovernanceDocument) -> list[str]:
    """The opening words of each clause, kept per reading of the file (no query when warm)."""
    record = document.extraction_record
    if not record.has_text:
        return []
    key = f"forum:clause-excerpts:{document.pk}:{record.file_hash}:{record.extracted_at and record.extracted_at.isoformat()}"
    return cache.get_or_set(
        key, lambda: [excerpt(text) for text in document_clauses(document.pk)], 60 * 60 * 24
    )


def document_section(document: GovernanceDocument) -> str:
    """The consultation part of a document's page: counts only (the page is shared by its
    audience), and nothing unless the thread is in an open group and not hidden. One query
    (the thread's opening notice makes sure there is a row), none more for the clauses when
    their excerpts are cached."""
    rows = list(
        Post.objects.filter(
            topic__consultation__document_id=document.pk,
            topic__is_hidden=False,
            topic__group__visibility=Visibility.OPEN,
        )
        .values("clause", "topic_id", "topic__consultation__closed_at")
        .annotate(n=Count("pk", filter=Q(is_notice=False, is_hidden=False)))
        .order_by()
    )
    if not rows:
        return ""
    counts = {row["clause"]: row["n"] for row in rows}
    excerpts = _clause_excerpts(document)
    return render_to_string(
        "forum/includes/consultation_section.html",
        {
            "topic_id": rows[0]["topic_id"],
            "is_open": rows[0]["topic__consultation__closed_at"] is None,
            "whole": counts.get(None, 0),
            "total": sum(counts.values()),
            "rows": clause_rows(excerpts, counts),
        },
    )


# Commenting ----------------------------------------------------------------------------------


def consultation_comment(
    *, consultation: Consultation, author, body: str, clause: int | None, form_token: str = ""
) -> Post:
    """A comment on the whole document (``clause`` None) or one of its numbered clauses; an
    unknown clause number changes nothing."""
    from .services import post_create

    check_clause(consultation, clause)
    post = post_create(
        topic=consultation.topic, author=author, body=body, form_token=form_token, clause=clause
    )
    transaction.on_commit(lambda: consultation_touch(consultation.pk))
    return post
