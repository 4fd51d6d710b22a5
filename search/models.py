"""The search vocabulary editors keep: abbreviations and synonyms applied to every query.

A ``SearchTerm`` says that what people type (``term``: "ASB") also means one or more words
(``meanings``: "anti-social behaviour"). The site search parses every query with the
vocabulary (``search.query``), so a search for the abbreviation also finds the words written in
full and, for a two-way entry, a search for the words also finds the abbreviation. Expansion is
one step only (an entry's meanings are not expanded again), so entries that loop are harmless.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .query import meaning_lines

#: Bounds whatever the table holds (entries written by hand or by a data import are bounded
#: when the vocabulary is read, too: ``search.query``).
MAX_MEANINGS = 8
MAX_MEANING_WORDS = 8
TERM_RE = re.compile(r"^[\w][\w'&\- ]{0,58}[\w]$|^\w$")
MEANING_RE = re.compile(r"^[\w][\w'&\- ]*$")
QUERY_SYNTAX = re.compile(r"[\"()*:?~^{}\[\]<>|!+=\\/]")


class SearchTerm(models.Model):
    """An abbreviation or synonym: what people type, and what it means."""

    term = models.CharField(
        _("abbreviation or word"),
        max_length=60,
        unique=True,
        help_text=_("As people type it, for example: ASB, MoU or fly-tipping."),
    )
    meanings = models.TextField(
        _("means"),
        help_text=_("What it stands for or means, one a line, for example: anti-social behaviour."),
    )
    two_way = models.BooleanField(
        _("also the other way"),
        default=True,
        help_text=_("Searching for the meaning also finds the abbreviation (documents that only say “ASB”)."),
    )
    match_case = models.BooleanField(
        _("only when typed in capitals"),
        default=False,
        help_text=_(
            "For an abbreviation that is also an ordinary word (CAN, LEAP): expand it only when "
            "someone types it in capitals."
        ),
    )

    panels = [FieldPanel("term"), FieldPanel("meanings"), FieldPanel("two_way"), FieldPanel("match_case")]

    class Meta:
        ordering = ["term"]
        verbose_name = _("search abbreviation or synonym")
        verbose_name_plural = _("search abbreviations and synonyms")

    def __str__(self):
        return self.term

    def clean(self):
        super().clean()
        from .query import is_stop_word

        errors = {}
        self.term = " ".join((self.term or "").split())
        if not TERM_RE.match(self.term) or QUERY_SYNTAX.search(self.term):
            errors["term"] = _("Use letters, numbers, spaces, hyphens or apostrophes only.")
        elif is_stop_word(self.term) and not self.match_case:
            errors["match_case"] = _(
                "“%(term)s” is also an ordinary word: tick “only when typed in capitals”."
            ) % {"term": self.term}
        meanings = meaning_lines(self.meanings)
        if not meanings:
            errors["meanings"] = _("Enter what it means.")
        elif len(meanings) > MAX_MEANINGS:
            errors["meanings"] = _("Give at most %(n)s meanings.") % {"n": MAX_MEANINGS}
        elif any(QUERY_SYNTAX.search(m) or not MEANING_RE.match(m) for m in meanings):
            errors["meanings"] = _("Use words only: no quotes, brackets or other search symbols.")
        elif any(len(m.split()) > MAX_MEANING_WORDS for m in meanings):
            errors["meanings"] = _("Keep each meaning to %(n)s words at most.") % {"n": MAX_MEANING_WORDS}
        elif any(m.lower() == self.term.lower() for m in meanings):
            errors["meanings"] = _("A meaning must differ from the abbreviation.")
        if errors:
            raise ValidationError(errors)
        self.meanings = "\n".join(meanings)
