"""The site's authentication backends: Django's and allauth's, reading the signed-in person on
each request with their query compiled once (``serving.prepared``) instead of on every request."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from serving.prepared import get_by_pk


class _PreparedUserLookup:
    def get_user(self, user_id):
        """As Django's ``ModelBackend.get_user``: the active person with this id, or None."""
        User = get_user_model()
        try:
            user = get_by_pk(User, user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_PreparedUserLookup, DjangoModelBackend):
    pass


class AuthenticationBackend(_PreparedUserLookup, AllauthBackend):
    pass
