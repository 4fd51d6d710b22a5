"""Reviews: the dashboard panel (due or missing dates, by owner) and the reminder command
(one e-mail per owner, each item once per review date)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from accounts import roles
from knowledge.models import ReviewReminder
from knowledge.reviews import due_by_owner, send_review_reminders
from tests.factories import UserFactory

from .factories import GuidePageFactory, SolutionPageFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
PAST = TODAY - datetime.timedelta(days=30)
FUTURE = TODAY + datetime.timedelta(days=30)


@pytest.fixture
def owners(db):
    return {
        "jo": UserFactory(first_name="Jo", last_name="Bennett", email="jo@sussex-pcc.gov.uk"),
        "priya": UserFactory(first_name="Priya", last_name="Shah", email="priya@westsussex.gov.uk"),
    }


@pytest.fixture
def due(index, owners):
    return {
        "overdue": SolutionPageFactory(
            parent=index, title="Overdue solution", next_review=PAST, content_owner=owners["jo"]
        ),
        "today": GuidePageFactory(
            parent=index, title="Due today guide", next_review=TODAY, content_owner=owners["jo"]
        ),
        "missing": SolutionPageFactory(
            parent=index, title="No date solution", next_review=None, content_owner=owners["priya"]
        ),
        "orphan": SolutionPageFactory(parent=index, title="Nobody's solution", next_review=PAST, owner=None),
        "fine": SolutionPageFactory(
            parent=index, title="Fine solution", next_review=FUTURE, content_owner=owners["jo"]
        ),
    }


def test_due_items_grouped_by_owner(due, owners):
    groups = due_by_owner()
    assert [g.label for g in groups] == ["Jo Bennett", "Priya Shah", ""]
    assert [p.title for p in groups[0].pages] == ["Overdue solution", "Due today guide"]
    assert [p.title for p in groups[1].pages] == ["No date solution"]
    assert [p.title for p in groups[2].pages] == ["Nobody's solution"]


def test_dashboard_panel_for_national_editors_only(client, due):
    editor = UserFactory.with_role(roles.NATIONAL_EDITORS)
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert "Solutions and guides due for review" in html
    for title in ("Overdue solution", "Due today guide", "No date solution", "Nobody&#x27;s solution"):
        assert title in html
    assert "Fine solution" not in html
    assert "No date set" in html and "No owner" in html and "Jo Bennett" in html

    contributor = UserFactory.with_role(roles.CONTRIBUTORS)
    client.force_login(contributor)
    assert "Solutions and guides due for review" not in client.get("/admin/").content.decode()


def test_panel_escapes_titles(client, index, owners):
    SolutionPageFactory(
        parent=index, title="<script>alert(1)</script>", next_review=PAST, content_owner=owners["jo"]
    )
    client.force_login(UserFactory.with_role(roles.NATIONAL_EDITORS))
    html = client.get("/admin/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_reminders_are_sent_once_per_item_and_review_date(due, owners):
    run = send_review_reminders()
    assert run.sent == 2 and run.items == 3
    assert [p.title for p in run.without_owner] == ["Nobody's solution"]
    by_recipient = {m.to[0]: m for m in mail.outbox}
    jo = by_recipient["jo@sussex-pcc.gov.uk"]
    assert jo.subject == "2 solutions and guides you own are due for review"
    assert "Dear Jo," in jo.body
    assert "Overdue solution" in jo.body and "Due today guide" in jo.body
    assert "Fine solution" not in jo.body
    assert f"/admin/pages/{due['overdue'].pk}/edit/" in jo.body
    html, mimetype = jo.alternatives[0]
    assert mimetype == "text/html" and "<a href=" in html and 'lang="en-GB"' in html
    priya = by_recipient["priya@westsussex.gov.uk"]
    assert "It has no review date yet." in priya.body
    assert ReviewReminder.objects.count() == 3

    # Idempotent: nothing new is due, nothing is sent.
    mail.outbox.clear()
    again = send_review_reminders()
    assert again.sent == 0 and mail.outbox == []
    assert ReviewReminder.objects.count() == 3

    # A new review date that falls due is reminded again, once.
    overdue = due["overdue"]
    overdue.next_review = TODAY - datetime.timedelta(days=1)
    overdue.save()
    send_review_reminders()
    assert [m.to for m in mail.outbox] == [["jo@sussex-pcc.gov.uk"]]
    assert mail.outbox[0].subject == "A solution or guide you own is due for review"


def test_reminder_e_mail_escapes_titles_in_html(index, owners):
    SolutionPageFactory(parent=index, title="<b>Bold</b> & co", next_review=PAST, content_owner=owners["jo"])
    send_review_reminders()
    (message,) = mail.outbox
    assert "<b>Bold</b> & co" in message.body  # plain text is not HTML-escaped
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in message.alternatives[0][0]


def test_management_command(due):
    out = io.StringIO()
    call_command("send_review_reminders", stdout=out)
    assert "2 e-mails about 3 items" in out.getvalue()
    assert "No owner to remind for “Nobody's solution”" in out.getvalue()
    out = io.StringIO()
    call_command("send_review_reminders", stdout=out)
    assert "0 e-mails about 0 items" in out.getvalue()
