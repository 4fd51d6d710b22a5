"""A scan of extracted text for UK personal data, shown to editors before they publish.

MoUs and templates shared nationally must not carry personal data, yet drafts often arrive
with a signatory's mobile number or a worked example naming a real person. The patterns are
deliberately cautious (a date counts only next to "date of birth"; shared inboxes such as
info@ or a team mailbox do not count), and the editor decides: the findings are a warning to
check, never an automatic refusal.
"""

import re
from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _

MAX_FINDINGS = 50
CONTEXT = 40

LABELS = {
    "ni_number": _("National Insurance number"),
    "date_of_birth": _("Date of birth"),
    "phone": _("Phone number"),
    "email": _("E-mail address of a person"),
    "postcode": _("Postcode"),
}

# Letters in either case, with or without the spaces people type between the pairs.
NI_NUMBER = re.compile(
    r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b",
    re.IGNORECASE,
)
_MONTHS = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE = rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{1,2}}(?:st|nd|rd|th)? {_MONTHS},? \d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
DATE_OF_BIRTH = re.compile(
    rf"\b(?:d\.?\s?o\.?\s?b\.?|date of birth|born(?: on)?|birth date)\s*[:\-–]?\s*(?P<value>{_DATE})",
    re.IGNORECASE,
)
# Mobile and geographic numbers. 03, 08 and 01xx switchboards of organisations are common in
# MoUs, so non-geographic 03/08 numbers and three-digit service numbers are left alone.
_SEP = r"[ \t-]?"  # a space or a hyphen between the groups, or nothing
PHONE = re.compile(
    r"(?<![\d+./-])(?:(?:\+44\s?\(?0?\)?\s?|0044\s?|0)"
    rf"(?:7\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{3}}"  # mobiles: 07700 900123, 07700-900-123
    rf"|2\d{_SEP}\d{{4}}{_SEP}\d{{4}}"  # London and other 02x areas: 020 7946 0018
    rf"|1\d{{2,4}}{_SEP}\d{{3}}{_SEP}\d{{3,4}}"  # 01273 123 456, 01273-123-456, 0113 496 0000
    rf"|1\d{{3}}{_SEP}\d{{5,6}}))"  # 01273 123456
    r"(?![\d./-]?\d)"
)
EMAIL = re.compile(r"\b(?P<local>[A-Za-z0-9._%+'-]+)@(?P<domain>[A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")
# Full postcodes in either case, with or without the space: BN1 1AA, bn1 1aa, BN11AA.
POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ](?:[A-HK-Y]?\d[A-Z\d]?|\d[A-HJKPSTUW]) ?\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
# In lower case, "1st", "2nd", "3rd" and "4th" look like inward codes ("a1 1st"): not postcodes.
ORDINAL = re.compile(r"\d(?:st|nd|rd|th)$", re.IGNORECASE)
PERSONAL_EMAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com", "live.co.uk",
    "yahoo.com", "yahoo.co.uk", "btinternet.com", "icloud.com", "aol.com", "sky.com",
    "virginmedia.com", "talktalk.net", "protonmail.com", "me.com",
}  # fmt: skip
# Words that make an address a shared inbox. Compared with whole parts of the local part
# (split at dots, hyphens, underscores and digits), so that "christopher.smith" is not read as
# an "hr" mailbox nor "sharon.hubbard" as a "hub".
ROLE_WORDS = frozenset(
    "info enquiry enquiries admin administration contact contacts office team teams support service "
    "services unit hub mailbox foi dpo data protection privacy governance safeguarding safeguard "
    "partnership partnerships secretariat reception help helpdesk noreply no-reply donotreply "
    "ecins asb csp hr legal press media comms communications general duty control referral "
    "referrals board group panel forum licensing standards".split()
)
ROLE_PREFIXES = ("enquir", "safeguard", "referral", "licens", "partnership", "donotreply", "noreply")
_LOCAL_PARTS = re.compile(r"[._\-+'\d]+")
PERSON_LOCAL_PART = re.compile(r"^[a-z]+['-]?[a-z]*[._][a-z]+(?:['-][a-z]+)?\d{0,3}$", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    kind: str
    match: str
    context: str
    paragraph: int

    @property
    def label(self):
        return LABELS[self.kind]


def _is_role_mailbox(local: str) -> bool:
    parts = [part for part in _LOCAL_PARTS.split(local.lower()) if part]
    return any(part in ROLE_WORDS or part.startswith(ROLE_PREFIXES) for part in parts)


def _is_personal_email(local: str, domain: str) -> bool:
    if domain.lower() in PERSONAL_EMAIL_DOMAINS:
        return True
    if _is_role_mailbox(local):
        return False
    return bool(PERSON_LOCAL_PART.match(local))


def _is_postcode(value: str) -> bool:
    compact = value.replace(" ", "")
    if compact.islower() and ORDINAL.search(compact):
        return False
    # Written in one case, "BN1 1AA" or "bn1 1aa": "Bn1 1aA" is a word, not a postcode.
    return compact.isupper() or compact.islower()


def _context(paragraph: str, start: int, end: int) -> str:
    before = paragraph[max(0, start - CONTEXT) : start]
    after = paragraph[end : end + CONTEXT]
    prefix = "…" if start > CONTEXT else ""
    suffix = "…" if end + CONTEXT < len(paragraph) else ""
    return f"{prefix}{before}{paragraph[start:end]}{after}{suffix}"


def scan(text: str) -> list[Finding]:
    """Personal-data matches in ``text``, in reading order, at most ``MAX_FINDINGS``."""
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()

    def add(kind, paragraph_number, paragraph, start, end):
        value = paragraph[start:end]
        key = (kind, " ".join(value.split()).lower())
        if key in seen:
            return
        seen.add(key)
        findings.append(Finding(kind, value, _context(paragraph, start, end), paragraph_number))

    for number, paragraph in enumerate(text.split("\n\n"), start=1):
        if len(findings) >= MAX_FINDINGS:
            break
        for match in NI_NUMBER.finditer(paragraph):
            add("ni_number", number, paragraph, match.start(), match.end())
        for match in DATE_OF_BIRTH.finditer(paragraph):
            add("date_of_birth", number, paragraph, match.start("value"), match.end("value"))
        for match in PHONE.finditer(paragraph):
            add("phone", number, paragraph, match.start(), match.end())
        for match in EMAIL.finditer(paragraph):
            if _is_personal_email(match.group("local"), match.group("domain")):
                add("email", number, paragraph, match.start(), match.end())
        for match in POSTCODE.finditer(paragraph):
            if _is_postcode(match.group()):
                add("postcode", number, paragraph, match.start(), match.end())
    return findings[:MAX_FINDINGS]


def scan_as_json(text: str) -> list[dict]:
    return [asdict(finding) for finding in scan(text)]


def describe(findings: list[dict]) -> list[dict]:
    """Stored findings with their labels, for templates."""
    return [
        {**finding, "label": LABELS.get(finding.get("kind"), finding.get("kind"))} for finding in findings
    ]
