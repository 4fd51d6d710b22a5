"""Every e-mail the site sends is composed here: a plain-text part from the e-mail's own
template (which extends ``email/base.txt``: greeting, content, the site's name and why the
person got it) and a simple HTML part made from that text, escaped, so that nothing a person
typed (a display name holding markup, say) is ever read as HTML.

The site's name comes from ``settings.WAGTAIL_SITE_NAME``, never from the request's host.
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

LINK_LINE = re.compile(r"^https?://\S+$")


def site_name() -> str:
    return settings.WAGTAIL_SITE_NAME


def site_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"


def text_to_html(text: str):
    """Paragraphs and line breaks of the plain text, escaped; a line that is only an address
    becomes a link. Nothing else is linked, so an address typed into a name stays text."""
    paragraphs = []
    for paragraph in re.split(r"\n{2,}", text.strip()):
        lines = [
            format_html('<a href="{}">{}</a>', line, line) if LINK_LINE.match(line) else escape(line)
            for line in paragraph.splitlines()
        ]
        paragraphs.append("<p>" + "<br>\n".join(lines) + "</p>")
    return mark_safe("\n".join(paragraphs))


def email_context(context: dict | None = None) -> dict:
    """What every e-mail template may use, under what the caller gives."""
    return {"site_name": site_name(), "site_url": site_url(), **(context or {})}


def compose(
    *,
    subject_template: str,
    text_template: str,
    context: dict,
    to: list[str],
    format_subject: Callable[[str], str] | None = None,
    headers: dict | None = None,
    request=None,
) -> EmailMultiAlternatives:
    """The e-mail, plain text plus its HTML part, ready to send (``from`` is the default)."""
    context = email_context(context)
    subject = " ".join(render_to_string(subject_template, context, request).split())
    if format_subject is not None:
        subject = format_subject(subject)
    text = render_to_string(text_template, context, request).strip() + "\n"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        headers=headers,
    )
    html = render_to_string("email/base.html", {**context, "subject": subject, "body": text_to_html(text)})
    message.attach_alternative(html, "text/html")
    return message


def send(*, template: str, context: dict, to: list[str]) -> int:
    """Send ``<template>.txt`` with the subject ``<template>_subject.txt`` to ``to``."""
    if not to:
        return 0
    compose(
        subject_template=f"{template}_subject.txt", text_template=f"{template}.txt", context=context, to=to
    ).send()
    return len(to)
