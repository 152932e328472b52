"""Who may see people, give and end their roles, issue their API tokens and clear lockouts.

The city (municipal administrators, superusers) manages everyone. An institution
administrator manages the people of their own institutions: they see anyone who holds or held
a role there, and give or end only the roles of INSTITUTION_GRANTABLE_ROLES in those
institutions. Everyone sees their own memberships and tokens.
"""

from __future__ import annotations

from django.db.models import Q

from tmhub.accounts.models import ApiToken, Membership, User
from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW
from tmhub.core.policies import Policy
from tmhub.core.roles import INSTITUTION_GRANTABLE_ROLES, Role
from tmhub.orgs.models import Organization


def administered_orgs(scope) -> frozenset[int]:
    """The organisations whose people `scope` manages (as their institution administrator)."""
    return scope.orgs(Role.INSTITUTION_ADMIN)


def may_give(scope, role: str, organization_id, district_id=None, department: str = "") -> bool:
    """May `scope` give (or end) `role` in that organisation / district / department?

    The one rule behind granting, revoking and the choices the role form offers. The city may
    give any role anywhere; an institution administrator only an institution role in an
    institution they administer (never a district or a department).
    """
    if scope.is_municipal:
        return True
    return (
        role in INSTITUTION_GRANTABLE_ROLES
        and organization_id is not None
        and organization_id in administered_orgs(scope)
        and district_id is None
        and not department
    )


def grantable_roles(scope) -> list[str]:
    """The roles `scope` may give somewhere (what the role form offers)."""
    if scope.is_municipal:
        return list(Role.values)
    if not administered_orgs(scope):
        return []
    return [role for role in Role.values if role in INSTITUTION_GRANTABLE_ROLES]


def grantable_organizations(scope):
    """The organisations in which `scope` may give roles (what the role form offers)."""
    if scope.is_municipal:
        return Organization.objects.filter(is_active=True)
    return Organization.objects.filter(pk__in=administered_orgs(scope))


@policies.register
class UserPolicy(Policy):
    """People: the city sees everyone; an institution administrator sees whoever holds or held
    a role in their institutions; everyone sees themselves."""

    model = User

    def scope_q(self, scope, action):
        mine = Q(pk=scope.user_id) if action == VIEW and scope.is_authenticated else None
        orgs = administered_orgs(scope)
        if not orgs:
            return mine
        members = Q(pk__in=Membership.objects.filter(organization__in=orgs).values("user_id"))
        return members | mine if mine is not None else members

    def can_manage_people(self, scope, obj) -> bool:
        """Open the people pages (list, detail, grant): the city and institution administrators."""
        return scope.is_municipal or bool(administered_orgs(scope))

    def can_create_user(self, scope, obj) -> bool:
        """Create an account (invited by e-mail): whoever manages people."""
        return self.can_manage_people(scope, obj)

    def can_create_superuser(self, scope, obj) -> bool:
        """Create an account that bypasses every policy: only a superuser (or SYSTEM)."""
        return scope.is_superuser

    def can_manage_tokens(self, scope, user) -> bool:
        """List, issue and revoke `user`'s API tokens: the user, and the city for anyone."""
        return scope.is_municipal or (scope.is_authenticated and user.pk == scope.user_id)

    def can_unlock(self, scope, obj) -> bool:
        """See sign-in lockouts and clear them: the city only."""
        return scope.is_municipal

    def can_reset_two_factor(self, scope, user) -> bool:
        """Remove someone else's authenticator (a lost phone): the city only."""
        return scope.is_municipal and user.pk != scope.user_id

    def can_view_personal_data_log(self, scope, obj) -> bool:
        """Search the log of who viewed whose personal data, and anonymise a person on
        request (PIPL): the city only."""
        return scope.is_municipal

    def can_anonymise_person(self, scope, user) -> bool:
        """Replace a person's identifying data for good: the city, never its own account and
        never a superuser's."""
        return scope.is_municipal and user.pk != scope.user_id and not user.is_superuser


@policies.register
class MembershipPolicy(Policy):
    """Roles: an institution administrator sees and manages those held in their institutions;
    everyone sees their own."""

    model = Membership

    def scope_q(self, scope, action):
        orgs = administered_orgs(scope)
        if not orgs:
            return Q(user_id=scope.user_id) if action == VIEW and scope.is_authenticated else None
        return Q(organization__in=orgs)

    def can_grant_role(self, scope, membership) -> bool:
        """Give `membership` (unsaved: user, role and its organisation / district / department).

        Besides the role and where it applies, the person must be one the granter manages, or a
        new account nobody has given a role yet (the account a granter has just created)."""
        if not may_give(
            scope,
            membership.role,
            membership.organization_id,
            membership.district_id,
            membership.department,
        ):
            return False
        if scope.is_municipal:
            return True
        person = membership.user
        return (
            policies.policy_for(User).covers(scope, person, CHANGE)
            or not Membership.objects.filter(user_id=person.pk).exists()
        )

    def can_revoke_role(self, scope, membership) -> bool:
        """End a role: whoever could give that role in that place."""
        return may_give(
            scope,
            membership.role,
            membership.organization_id,
            membership.district_id,
            membership.department,
        )


@policies.register
class ApiTokenPolicy(Policy):
    """API tokens: everyone sees and revokes their own; the city everyone's."""

    model = ApiToken

    def scope_q(self, scope, action):
        return Q(user_id=scope.user_id) if scope.is_authenticated else None
