import pytest

from accounts import roles

pytestmark = pytest.mark.django_db


def test_admin_user_screens_show_organisation_fields(client, make_user):
    admin = make_user("admin@sussex.police.uk", is_superuser=True, is_staff=True)
    person = make_user("person2@sussex.police.uk")
    client.force_login(admin)
    for path in (f"/admin/users/edit/{person.pk}/", "/admin/users/new/"):
        body = client.get(path).content.decode()
        assert 'id="id_organisation"' in body and 'id="id_is_organisation_approver"' in body
        assert 'id="id_approval_status"' not in body


def test_admin_edit_saves_organisation_fields(client, make_user, organisation):
    admin = make_user("admin@sussex.police.uk", is_superuser=True, is_staff=True)
    person = make_user("person2@sussex.police.uk")
    client.force_login(admin)
    response = client.post(
        f"/admin/users/edit/{person.pk}/",
        {
            "email": person.email,
            "first_name": "Pat",
            "last_name": "Jones",
            "organisation": organisation.pk,
            "job_title": "Inspector",
            "is_organisation_approver": "on",
            "is_active": "on",
            "groups": [g.pk for g in person.groups.all()],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.is_organisation_approver and person.job_title == "Inspector"


def test_editors_find_approvals_in_the_admin_menu(client, make_user):
    editor = make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS)
    client.force_login(editor)
    assert "Accounts to approve" in client.get("/admin/").content.decode()
    contributor = make_user("writer@sussex.police.uk", role=roles.CONTRIBUTORS)
    client.force_login(contributor)
    assert "Accounts to approve" not in client.get("/admin/").content.decode()
