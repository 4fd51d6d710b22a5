"""``serving.prepared.get_by_pk``: the same instance as ``get(pk=...)``, compiled once."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from serving.pages import project_page_models
from serving.prepared import get_by_pk

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_every_page_model_reads_the_same_instance_as_a_queryset(demo, django_assert_num_queries):
    seen = 0
    for model in project_page_models():
        for pk in model.objects.values_list("pk", flat=True)[:2]:
            expected = model.objects.get(pk=pk)
            get_by_pk(model, pk)  # compiled once
            with django_assert_num_queries(1):
                found = get_by_pk(model, str(pk))  # the id as a session or URL gives it
            assert type(found) is model
            assert _fields(found) == _fields(expected)
            assert not found._state.adding and found._state.db == expected._state.db
            # StreamField and rich text arrive as the same Python values a queryset gives.
            for field in model._meta.concrete_fields:
                assert type(getattr(found, field.attname)) is type(getattr(expected, field.attname))
            seen += 1
    assert seen >= 8  # home, standard, library, schemes, knowledge, solutions, guides...


def test_a_person_and_a_missing_row(member):
    User = get_user_model()
    assert _fields(get_by_pk(User, member.pk)) == _fields(User.objects.get(pk=member.pk))
    with pytest.raises(User.DoesNotExist):
        get_by_pk(User, 10**9)
    with pytest.raises(Page.DoesNotExist):
        get_by_pk(Page, 10**9)
    for not_an_id in (10**30, -(10**30), "abc", None):  # beyond the column's range, or no number
        with pytest.raises(User.DoesNotExist):
            get_by_pk(User, not_an_id)


def test_the_row_is_read_afresh_each_time(member):
    User = get_user_model()
    get_by_pk(User, member.pk)
    User.objects.filter(pk=member.pk).update(is_active=False, first_name="Changed")
    again = get_by_pk(User, member.pk)
    assert again.is_active is False and again.first_name == "Changed"


def test_a_deactivated_person_is_signed_out_at_the_next_request(client, member):
    client.force_login(member)
    assert client.get("/accounts/profile/").status_code == 200
    get_user_model().objects.filter(pk=member.pk).update(is_active=False)
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_document_address_with_an_id_no_column_holds_is_not_found(client, demo, member):
    client.force_login(member)  # (anonymous visitors are asked to sign in, found or not)
    for address in ("/library/99999999999999999999999-x/", "/library/99999999999999999999999/"):
        assert client.get(address).status_code == 404
