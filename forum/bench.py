"""Synthetic forum volume for ``bench/forum.py``: a group of 10,000 topics, a topic of 5,000
posts, 10,000 members each with something for their daily summary. Written straight to the
database in bulk (no notifications, no e-mails): it measures reading, not seeding."""

from __future__ import annotations

import time

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import ApprovalStatus, User

from .models import ForumGroup, GroupKind, Membership, Notification, NotificationKind, Post, Topic
from .rendering import render_markdown

BENCH_GROUP = "bench-forum"


def seed_forum(*, member_email: str, topics: int = 10_000, posts: int = 5_000, members: int = 10_000) -> dict:
    """Returns the addresses to load: the big group, the long topic."""
    now = timezone.now()
    member = User.objects.get(email=member_email)
    with transaction.atomic():
        group, _ = ForumGroup.objects.get_or_create(
            slug=BENCH_GROUP, defaults={"name": "Bench group", "kind": GroupKind.WORKING}
        )
        Membership.objects.get_or_create(group=group, user=member)
        long_topic = Topic.objects.create(
            group=group, author=member, title="A topic of many posts", last_posted_at=now, post_count=posts
        )
        body = "A reply with **some** Markdown and a [link](https://example.org/).\n\nAnd a second paragraph."
        html = render_markdown(body)
        Post.objects.bulk_create(
            [
                Post(topic=long_topic, number=n, author=member, body=body, body_html=html)
                for n in range(1, posts + 1)
            ],
            batch_size=2000,
        )
        Topic.objects.bulk_create(
            [
                Topic(group=group, author=member, title=f"Bench topic {n}", last_posted_at=now, post_count=1)
                for n in range(topics - 1)
            ],
            batch_size=2000,
        )
        password = make_password(None)
        User.objects.bulk_create(
            [
                User(
                    email=f"digest{n:06d}@forum.bench.gov.uk",
                    password=password,
                    first_name=f"Digest{n}",
                    last_name="Reader",
                    approval_status=ApprovalStatus.APPROVED,
                    digest_frequency="daily",
                )
                for n in range(members)
            ],
            batch_size=2000,
        )
        readers = list(
            User.objects.filter(email__endswith="@forum.bench.gov.uk").values_list("pk", flat=True)
        )
        Membership.objects.bulk_create(
            [Membership(group=group, user_id=pk) for pk in readers], batch_size=2000
        )
        last = Post.objects.get(topic=long_topic, number=posts)
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=pk, kind=NotificationKind.REPLY, topic=long_topic, post=last, actor=member
                )
                for pk in readers
            ],
            batch_size=2000,
        )
    return {
        "group": group.get_absolute_url(),
        "topic": long_topic.get_absolute_url(),
        "topic_id": long_topic.pk,
    }


def time_replies(*, member_email: str, topic_id: int, count: int = 200) -> float:
    """Replies posted through the whole Django stack (middleware, view, service, redirect) with
    the test client, in-process: seconds per reply. The rate limit is lifted for the run."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    settings.FORUM_POSTS_PER_MINUTE = 10**9
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(User.objects.get(email=member_email))
    url = reverse("forum:reply", args=[topic_id])
    start = time.perf_counter()
    for n in range(count):
        response = client.post(
            url, {"body": f"Bench reply {n}, **bold**.", "form_token": f"bench-{n}-{start}"}
        )
        assert response.status_code == 302, response.status_code
    return (time.perf_counter() - start) / count


def time_digest() -> tuple[float, int]:
    """The daily summary run for every member with something pending: (seconds, e-mails)."""
    from django.conf import settings

    from .digests import send_digests

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    start = time.perf_counter()
    sent = send_digests(frequency="daily")
    return time.perf_counter() - start, sent
