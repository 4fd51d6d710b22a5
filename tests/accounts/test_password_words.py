"""Django's password rules in the site's words: on the sign-up page and in its errors."""

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db
AMERICAN_OR_DJANGO = ("can’t", "can't", "numeric", "similar to the")


def messages_for(password, user=None) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return caught.value.messages


def test_the_hints_on_the_sign_up_page_are_ours(client):
    page = client.get(reverse("account_signup")).content.decode()
    for hint in password_validators_help_texts():
        assert hint in page
    assert "Use at least 12 characters" in page and "Do not use only numbers." in page
    assert not any(word in page for word in AMERICAN_OR_DJANGO)


@pytest.mark.parametrize(
    "password, said",
    [
        ("short", "Your password is too short: it must be at least 12 characters long."),
        ("123456789012345", "Your password cannot be only numbers."),
        ("qwerty123456", "This password is one of the most commonly used: choose another."),
    ],
)
def test_each_rule_says_what_is_wrong_in_our_words(password, said):
    found = messages_for(password)
    assert said in found
    assert not any(word in " ".join(found) for word in AMERICAN_OR_DJANGO)


def test_a_password_like_the_persons_address_is_refused(django_user_model):
    user = django_user_model(email="sam.taylor@brighton-hove.gov.uk", first_name="Sam")
    (message,) = messages_for("sam.taylor@brighton-hove", user)
    assert message.startswith("Your password is too like your")
