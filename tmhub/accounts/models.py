"""Users and their memberships (role + organisation / district / department)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken, AuthTokenManager
from knox.settings import CONSTANTS

from tmhub.core.access import RestrictedQuerySet
from tmhub.core.actors import SYSTEM
from tmhub.core.audit import record_event
from tmhub.core.choices import Department
from tmhub.core.fields import PhoneField
from tmhub.core.roles import Role


class UserManager(DjangoUserManager.from_queryset(RestrictedQuerySet)):
    """Django's user manager (create_user, natural keys) with `restrict(user, action)`:
    who may see whom is the User policy's (tmhub/accounts/policies.py)."""


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = PhoneField(_("phone"), blank=True)
    # The language notifications and e-mails are written in (blank: the platform's, Chinese);
    # the language switch saves it for a signed-in user.
    language = models.CharField(_("preferred language"), max_length=10, blank=True,
                                choices=settings.LANGUAGES)
    # Notification kinds (tmhub.core.notifications.KINDS) this person reads in the platform
    # only, without an e-mail.
    email_muted_kinds = models.JSONField(_("kinds not sent by e-mail"), default=list, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    # What a password change or a deactivation is called in the audit log.
    ACCOUNT_EVENTS = {"password_changed": "accounts.password.changed",
                      "account_deactivated": "accounts.account.deactivated"}

    def save(self, *args, **kwargs):
        """Save; when the password hash changed or the account was deactivated, audit it on the
        account and rotate (delete) the user's API tokens in the same transaction, whichever
        path made the change (Django's password views and forms, admin, `changepassword`,
        services) — this save is the one place all of them pass through."""
        reason = self._token_rotation_reason(kwargs.get("update_fields"))
        if reason is None:
            return super().save(*args, **kwargs)
        from tmhub.accounts.tokens import rotate_tokens  # tokens imports this module

        # A change nobody named (a management command, a shell) is the platform's own.
        actor = getattr(self, "_changed_by", SYSTEM)
        with transaction.atomic():
            super().save(*args, **kwargs)
            record_event(actor=actor, obj=self, event_type=self.ACCOUNT_EVENTS[reason])
            rotate_tokens(self, actor=actor, reason=reason)

    def _token_rotation_reason(self, update_fields) -> str | None:
        if self._state.adding or self.pk is None:
            return None
        if update_fields is not None and not {"password", "is_active"} & set(update_fields):
            return None
        before = type(self).objects.filter(pk=self.pk).values("password", "is_active").first()
        if before is None:
            return None
        if before["password"] != self.password:
            return "password_changed"
        if before["is_active"] and not self.is_active:
            return "account_deactivated"
        return None


class Membership(models.Model):
    """One role of one user, scoped by organisation, district or department."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="memberships",
    )
    district = models.ForeignKey(
        "core.District", verbose_name=_("district"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    department = models.CharField(
        _("department"), max_length=30, choices=Department.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization", "district", "department"],
                name="membership_unique",
            )
        ]

    def __str__(self) -> str:
        target = self.organization or self.district or self.get_department_display() or ""
        return f"{self.user} · {self.get_role_display()} {target}".strip()


class ApiTokenQuerySet(RestrictedQuerySet):
    pass


class ApiTokenManager(AuthTokenManager.from_queryset(ApiTokenQuerySet)):
    pass


class ApiToken(AbstractAuthToken):
    """A knox API token (stored as a digest) with a name, an expiry and when it was last used.

    Issue, revoke and rotate only through `tmhub.accounts.tokens`.
    """

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(_("digest"), max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenManager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}".strip()

    @property
    def prefix(self) -> str:
        """The first characters of the key: enough to tell tokens apart, useless to sign in."""
        return self.token_key[:12]

    @property
    def is_expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()
