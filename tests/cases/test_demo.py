"""The demo case: owned by Sussex Police, shared with Hastings, invisible to Lewes; safe to
load twice."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from cases.demo import DEMO_TITLE, load_demo_cases
from cases.models import Case, MoUAcceptance

pytestmark = pytest.mark.django_db


def test_the_demo_case_and_who_sees_it():
    from accounts.demo import load_users
    from documents.demo import load_demo_documents
    from home.demo import load_pages
    from schemes.demo import load_organisations, load_schemes

    out = io.StringIO()
    load_pages(stdout=out)
    load_schemes(stdout=out, organisations=load_organisations(stdout=out))
    load_users(stdout=out)
    load_demo_documents(stdout=out)
    load_demo_cases(stdout=out)
    load_demo_cases(stdout=out)
    assert "Cases: the demo case is there already." in out.getvalue()
    case = Case.objects.get(title=DEMO_TITLE)
    assert case.owner.name == "Sussex Police" and case.notes.count() == 2 and case.attachments.count() == 1
    assert list(case.shares.values_list("organisation__name", flat=True)) == ["Hastings Borough Council"]
    assert list(case.withdrawals.values_list("organisation__name", flat=True)) == ["Lewes District Council"]
    assert case.subjects.get(role="perpetrator").address.startswith("Flat 9")
    seen = {}
    for email in ("kate.mills@sussex.police.uk", "dana.price@hastings.gov.uk", "tom.reed@lewes.gov.uk"):
        client = Client()
        user = User.objects.get(email=email)
        client.force_login(user)
        assert client.get(case.get_absolute_url()).status_code == 302  # the MoU first
        client.post(reverse("cases:mou"), {"accept": "on"})
        seen[email] = client.get(case.get_absolute_url()).status_code
    assert seen == {
        "kate.mills@sussex.police.uk": 200,
        "dana.price@hastings.gov.uk": 200,
        "tom.reed@lewes.gov.uk": 404,
    }
    # Tom had never accepted before this session; Kate and Dana had, in an earlier one.
    assert MoUAcceptance.objects.filter(user__email="tom.reed@lewes.gov.uk").count() == 1
    assert MoUAcceptance.objects.filter(user__email="kate.mills@sussex.police.uk").count() == 2
