"""Script, event handlers, javascript:/data: links, SVG and mutation-XSS payloads in titles,
posts, group descriptions and display names are inert on every forum page, in the admin's
review queue and in e-mails."""

import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.urls import reverse

from accounts import roles
from forum.models import Flag, Membership
from forum.rendering import render_markdown
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<iframe src="https://evil.example"></iframe>',
    '<a href="https://example.org" onclick="alert(1)" style="color:red">styled</a>',
]
EVERYTHING = "\n\n".join(PAYLOADS)
BANNED_TAGS = {"script", "svg", "math", "iframe", "img", "object", "embed", "style", "noscript"}


class _Finder(HTMLParser):
    """Real elements and attributes, as a browser's parser sees them (escaped text is not)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in BANNED_TAGS and not (
            tag == "script" and (attributes.get("src") or "").startswith("/static/")
        ):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and re.match(
                r"\s*(javascript|data|vbscript):", value or "", re.I
            ):
                self.found.append(f"{tag}[{name}={value}]")


def _dangerous(html: str) -> list[str]:
    finder = _Finder()
    finder.feed(html)
    return finder.found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_each_payload_renders_inert(payload):
    html = render_markdown(payload)
    assert not _dangerous(html), html


def test_outside_links_get_nofollow_noopener():
    html = render_markdown("[site](https://example.org/page)")
    assert html == '<p><a href="https://example.org/page" rel="nofollow noopener">site</a></p>'


def _body_of(response) -> str:
    """The page's content without our own static script tags."""
    return response.content.decode()


def test_the_detector_sees_real_elements_only():
    assert _dangerous('<p><img src=x onerror="a()"><a href=" javascript:x">y</a></p>')
    assert not _dangerous("<p>&lt;img src=x onerror=alert(1)&gt; javascript:</p>")


def test_payloads_are_inert_on_every_forum_page(
    client, groups, alice, bob, django_capture_on_commit_callbacks
):
    national = groups[0]
    national.description = EVERYTHING
    national.save()
    villain = UserFactory(first_name='<img src=x onerror="alert(1)">', last_name="<script>alert(2)</script>")
    Membership.objects.create(group=national, user=villain)
    client.force_login(villain)
    response = client.post(
        reverse("forum:topic_create", args=[national.slug]),
        {
            "title": '<svg onload=alert(1)>"><script>alert(1)</script>',
            "kind": "idea",
            "body": EVERYTHING,
            "form_token": "x",
        },
    )
    topic_url = response["Location"]
    topic_id = int(topic_url.rstrip("/").split("/")[-1])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("forum:reply", args=[topic_id]), {"body": EVERYTHING + "\n\n@alice.ward"})
    post_id = national.topics.get().posts.get(number=2).pk
    client.force_login(alice)
    client.post(reverse("forum:post_flag", args=[post_id]), {"reason": '<img src=x onerror="alert(1)">'})
    pages = [
        reverse("forum:groups"),
        national.get_absolute_url(),
        topic_url,
        reverse("forum:reply", args=[topic_id]) + f"?quote={post_id}",
        reverse("forum:post_flag", args=[post_id]),
        reverse("forum:notifications"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not _dangerous(_body_of(response)), (url, _dangerous(_body_of(response)))
    # The author's own edit page and the moderators' queue.
    client.force_login(villain)
    response = client.get(reverse("forum:post_edit", args=[post_id]))
    assert not _dangerous(_body_of(response))
    moderator = UserFactory(groups=[roles.MODERATORS])
    client.force_login(moderator)
    response = client.get(reverse("forum_moderation:queue"))
    assert response.status_code == 200 and Flag.objects.count() == 1
    queue = response.content.decode()
    assert "&lt;img src=x onerror=" in queue and '<img src=x onerror="alert(1)">' not in queue
    # E-mails are plain text: nothing there is ever interpreted as HTML.
    assert mail.outbox and all(not message.alternatives for message in mail.outbox)
