"""Django's password rules, said in the site's words (British English, no contractions, "cannot"
rather than "can’t", "only numbers" rather than "entirely numeric"). The rules themselves are
Django's, unchanged."""

from django.contrib.auth import password_validation as django_rules
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("Your password is too like your %(verbose_name)s. Choose one nobody could guess from it.")

    def get_help_text(self):
        return _("Do not base it on your name or e-mail address.")


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_error_message(self):
        return (
            ngettext(
                "Your password is too short: it must be at least %d character long.",
                "Your password is too short: it must be at least %d characters long.",
                self.min_length,
            )
            % self.min_length
        )

    def get_help_text(self):
        return ngettext(
            "Use at least %(min_length)d character: three or four unrelated words are easy to remember.",
            "Use at least %(min_length)d characters: three or four unrelated words are easy to remember.",
            self.min_length,
        ) % {"min_length": self.min_length}


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is one of the most commonly used: choose another.")

    def get_help_text(self):
        return _("Do not use a commonly used password.")


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self):
        return _("Your password cannot be only numbers.")

    def get_help_text(self):
        return _("Do not use only numbers.")
