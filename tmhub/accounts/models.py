"""Users and their memberships (role + organisation / district / department)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.accounts.choices import Role
from tmhub.core.access import RestrictedQuerySet
from tmhub.core.choices import Department


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


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

    @classmethod
    def scope_q(cls, scope, action):
        """Institution administrators manage the people of their own institutions."""
        admin_orgs = scope.orgs(Role.INSTITUTION_ADMIN)
        if not admin_orgs:
            return Q(user_id=scope.user_id) if action == "view" and scope.is_authenticated else None
        return Q(organization__in=admin_orgs)
