"""Forum fixtures: groups open and private, their members, topics with posts."""

import pytest
from django.utils import timezone

from forum.models import ForumGroup, GroupKind, Membership, Post, Role, Topic, Visibility
from forum.rendering import render_markdown
from tests.documents.conftest import home, library, make_document  # noqa: F401 (consultations)
from tests.factories import UserFactory


def make_group(name="National best-practice group", *, private=False, kind=GroupKind.NATIONAL, **extra):
    slug = extra.pop("slug", None) or name.lower().replace(" ", "-").replace("'", "")
    return ForumGroup.objects.create(
        name=name,
        slug=slug,
        kind=kind,
        visibility=Visibility.PRIVATE if private else Visibility.OPEN,
        description=extra.pop("description", f"About {name}."),
        **extra,
    )


def join(group, user, role=Role.MEMBER):
    return Membership.objects.create(group=group, user=user, role=role)


def make_topic(group, author, *, title="How do you share ASB case notes?", posts=1, **extra):
    """A topic with ``posts`` posts written straight to the database (fast, for volume)."""
    now = timezone.now()
    topic = Topic.objects.create(
        group=group, author=author, title=title, last_posted_at=now, post_count=posts, **extra
    )
    Post.objects.bulk_create(
        [
            Post(
                topic=topic,
                number=n,
                author=author,
                body=f"Post number {n}.",
                body_html=render_markdown(f"Post number {n}."),
            )
            for n in range(1, posts + 1)
        ]
    )
    return topic


@pytest.fixture
def national(db):
    return make_group()


@pytest.fixture
def private_group(db):
    return make_group("Sussex local users' group", private=True, kind=GroupKind.LOCAL, slug="sussex-users")


@pytest.fixture
def alice(db):
    """An approved member of the national and the private group."""
    return UserFactory(email="alice@sussex.police.uk", first_name="Alice", last_name="Ward")


@pytest.fixture
def bob(db):
    """An approved member, in the national group only."""
    return UserFactory(email="bob@sussex.police.uk", first_name="Bob", last_name="Stone")


@pytest.fixture
def groups(national, private_group, alice, bob):
    join(national, alice)
    join(national, bob)
    join(private_group, alice, Role.CHAIR)
    return national, private_group


@pytest.fixture
def national_topic(groups, alice):
    return make_topic(groups[0], alice, posts=3)


@pytest.fixture
def private_topic(groups, alice):
    return make_topic(groups[1], alice, title="Case system keeps timing out", posts=2)
