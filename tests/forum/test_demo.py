"""The demo forum: the national group with topics across workstreams, the Pan-Sussex steering
group on its scheme, and a private local users' group; safe to load twice."""

import io

import pytest
from django.urls import reverse

from accounts.models import User
from forum.demo import load_demo_forum
from forum.models import ColleagueProfile, ForumGroup, Post, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    from accounts.demo import load_users
    from home.demo import load_pages
    from schemes.demo import load_organisations, load_schemes

    out = io.StringIO()
    load_pages(stdout=out)
    load_schemes(stdout=out, organisations=load_organisations(stdout=out))
    load_users(stdout=out)
    load_demo_forum(stdout=out)
    load_demo_forum(stdout=out)
    return out.getvalue()


def test_the_demo_forum(demo, client):
    assert "Forum groups: 0 created, 3 already there." in demo
    national = ForumGroup.objects.get(slug="national-best-practice")
    slugs = set(Topic.objects.filter(group=national).values_list("workstreams__slug", flat=True))
    assert {"anti-social-behaviour", "hate-crime", "street-homelessness"} <= slugs
    steering = ForumGroup.objects.get(slug="pan-sussex-steering")
    assert steering.scheme.slug == "pan-sussex" and steering.join_by_request
    assert steering.meetings.count() == 2  # loaded once, though the loader ran twice
    assert steering.actions.get(status="open").what.startswith("Engage registered social landlords")
    assert ColleagueProfile.objects.filter(listed=True).count() == 2
    local = ForumGroup.objects.get(slug="sussex-local-users")
    assert local.is_private and local.topics.filter(kind="troubleshooting").exists()
    assert Post.objects.filter(body_html="").count() == 0
    # A member outside the private group does not see it; one inside does.
    client.force_login(User.objects.get(email="priya.shah@westsussex.gov.uk"))
    assert "Sussex local users" not in client.get(reverse("forum:groups")).content.decode()
    assert client.get(local.get_absolute_url()).status_code == 404
    client.force_login(User.objects.get(email="dana.price@hastings.gov.uk"))
    assert "Sussex local users" in client.get(reverse("forum:groups")).content.decode()
    topic = local.topics.get()
    assert "Attachments over 10 MB" in client.get(topic.get_absolute_url()).content.decode()


def test_the_demo_consultation_and_referral(client, django_capture_on_commit_callbacks):
    from accounts.demo import load_users
    from documents.demo import load_demo_documents
    from documents.models import DocumentStatus, GovernanceDocument
    from forum.consultation import clause_counts
    from forum.models import Consultation, Referral
    from home.demo import load_pages
    from schemes.demo import load_organisations, load_schemes

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        load_pages(stdout=out)
        load_schemes(stdout=out, organisations=load_organisations(stdout=out))
        load_users(stdout=out)
        load_demo_documents(stdout=out)
        load_demo_forum(stdout=out)
        load_demo_forum(stdout=out)
    draft = GovernanceDocument.objects.get(version_label="3.0")
    assert draft.status == DocumentStatus.IN_CONSULTATION
    consultation = Consultation.objects.get(document=draft)
    assert consultation.is_open and consultation.topic.group.slug == "national-best-practice"
    assert clause_counts(consultation.topic_id) == {12: 2, 18: 1, None: 1, 32: 1}
    referral = Referral.objects.get()
    assert referral.status == "in_development" and referral.events.count() == 3
    assert referral.topic.group.slug == "sussex-local-users"
    client.force_login(User.objects.get(email="chris.lee@empowering-communities.org"))
    assert referral.reference in client.get(reverse("forum:referrals")).content.decode()
    client.force_login(User.objects.get(email="priya.shah@westsussex.gov.uk"))
    page = client.get(f"/library/{draft.pk}-{draft.slug}/").content.decode()
    assert "Comments by clause" in page and "5 comments so far" in page
