"""The password policy's own parts (settings.AUTH_PASSWORD_VALIDATORS): characters from several
classes, and Django's minimum length with a message our catalogues translate (Django 5.2's own
Chinese catalogue lacks its current wording)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


def _classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule; its message is in tmhub/accounts/locale."""

    def get_error_message(self):
        return (
            ngettext(
                "This password is too short. It must contain at least %d character.",
                "This password is too short. It must contain at least %d characters.",
                self.min_length,
            )
            % self.min_length
        )


class CharacterClassValidator:
    """At least `classes` of: lower-case letters, upper-case letters, digits, symbols."""

    def __init__(self, classes: int = 3):
        self.classes = classes

    def validate(self, password, user=None):
        if _classes(password or "") < self.classes:
            raise ValidationError(
                self.get_help_text(), code="password_too_simple", params={"classes": self.classes}
            )

    def get_help_text(self) -> str:
        return ngettext(
            "This password must contain characters of at least %(classes)d kind: lower-case "
            "letters, upper-case letters, digits, symbols.",
            "This password must contain characters of at least %(classes)d kinds: lower-case "
            "letters, upper-case letters, digits, symbols.",
            self.classes,
        ) % {"classes": self.classes}
