"""Clause-level comparison of two versions of a governance document.

Both texts are split into clauses (the paragraphs extraction produced), matched with difflib,
and changed clauses are compared word by word. Clause numbers are ignored when matching, so
renumbering alone does not show as a change. The result is plain data a template renders with
``<ins>``/``<del>`` and visible labels, so additions and removals never rely on colour.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from . import conf

LEADING_NUMBER = re.compile(
    r"^\s*(\(?[0-9]+(\.[0-9]+)*\.?\)?|\(?[a-z]{1,3}\)|\(?[ivx]{1,5}\))\s+", re.IGNORECASE
)
WORDS = re.compile(r"\s+|[^\s]+")
SIMILAR = 0.5


@dataclass
class Segment:
    op: str  # "same", "added" or "removed"
    text: str


@dataclass
class ClauseChange:
    op: str  # "same", "added", "removed" or "changed"
    old: str = ""
    new: str = ""
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Comparison:
    changes: list[ClauseChange]
    added: int = 0
    removed: int = 0
    changed: int = 0
    unchanged: int = 0
    truncated: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def blocks(self):
        """Runs of unchanged clauses grouped together, so a template can fold them away."""
        run: list[ClauseChange] = []
        for change in self.changes:
            if change.op == "same":
                run.append(change)
                continue
            if run:
                yield ("same", run)
                run = []
            yield (change.op, change)
        if run:
            yield ("same", run)


def clauses(text: str) -> list[str]:
    return [" ".join(part.split()) for part in text.split("\n\n") if part.strip()]


def _key(clause: str) -> str:
    return LEADING_NUMBER.sub("", clause).casefold()


def _ratio(old: str, new: str) -> float:
    matcher = SequenceMatcher(None, _key(old), _key(new), autojunk=False)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def word_diff(old: str, new: str) -> list[Segment]:
    old_words, new_words = WORDS.findall(old), WORDS.findall(new)
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    segments: list[Segment] = []

    def push(op, words):
        text = "".join(words)
        if not text:
            return
        if op == "added" and segments and segments[-1].op == "removed":
            # "six three", not "sixthree": a replaced word keeps the space between old and new.
            segments.append(Segment("same", " "))
        if segments and segments[-1].op == op:
            segments[-1].text += text
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("same", old_words[i1:i2])
        else:
            push("removed", old_words[i1:i2])
            push("added", new_words[j1:j2])
    return segments


def _pair_block(old_block: list[str], new_block: list[str]) -> list[ClauseChange]:
    """Within a replaced run, line up clauses that were edited rather than swapped out."""
    changes, i, j = [], 0, 0
    while i < len(old_block) and j < len(new_block):
        if _ratio(old_block[i], new_block[j]) >= SIMILAR:
            changes.append(
                ClauseChange("changed", old_block[i], new_block[j], word_diff(old_block[i], new_block[j]))
            )
            i, j = i + 1, j + 1
        elif j + 1 < len(new_block) and _ratio(old_block[i], new_block[j + 1]) >= SIMILAR:
            changes.append(ClauseChange("added", new=new_block[j]))
            j += 1
        elif i + 1 < len(old_block) and _ratio(old_block[i + 1], new_block[j]) >= SIMILAR:
            changes.append(ClauseChange("removed", old=old_block[i]))
            i += 1
        else:
            changes.append(ClauseChange("removed", old=old_block[i]))
            changes.append(ClauseChange("added", new=new_block[j]))
            i, j = i + 1, j + 1
    changes.extend(ClauseChange("removed", old=clause) for clause in old_block[i:])
    changes.extend(ClauseChange("added", new=clause) for clause in new_block[j:])
    return changes


def compare_texts(old_text: str, new_text: str) -> Comparison:
    limit = int(conf.get("DOCUMENTS_COMPARISON_MAX_CLAUSES"))
    old, new = clauses(old_text), clauses(new_text)
    truncated = len(old) > limit or len(new) > limit
    old, new = old[:limit], new[:limit]
    matcher = SequenceMatcher(None, [_key(c) for c in old], [_key(c) for c in new], autojunk=False)
    changes: list[ClauseChange] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes.extend(
                ClauseChange("same", old[i], new[j])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
        elif tag == "delete":
            changes.extend(ClauseChange("removed", old=clause) for clause in old[i1:i2])
        elif tag == "insert":
            changes.extend(ClauseChange("added", new=clause) for clause in new[j1:j2])
        else:
            changes.extend(_pair_block(old[i1:i2], new[j1:j2]))
    comparison = Comparison(changes=changes, truncated=truncated)
    for change in changes:
        if change.op == "same":
            comparison.unchanged += 1
        else:
            setattr(comparison, change.op, getattr(comparison, change.op) + 1)
    return comparison
