"""Who may act on the training records: the questions the services and views both ask."""

from tmhub.accounts.models import Membership
from tmhub.core.access import get_scope
from tmhub.core.roles import Role


def manages_provider(user_or_scope, provider) -> bool:
    """Municipal administrators and the administrators of the provider's organisation."""
    scope = _scope(user_or_scope)
    if scope.is_municipal:
        return True
    return provider is not None and provider.organization_id is not None and (
        provider.organization_id in scope.orgs("institution_admin")
    )


def manages_cohort(user_or_scope, cohort) -> bool:
    return manages_provider(user_or_scope, cohort.programme.provider)


def employer_of(user):
    """The organisation where `user` works as a technology manager (None if not a manager)."""
    membership = (
        Membership.objects.filter(user=user, role=Role.MANAGER, is_active=True)
        .select_related("organization").order_by("id").first()
    )
    return membership.organization if membership else None


def is_manager(user) -> bool:
    return get_scope(user).has_role(Role.MANAGER)


def administers_trainee(user_or_scope, organization) -> bool:
    """The trainee's own institution administrator (bulk enrolment, withdrawal)."""
    scope = _scope(user_or_scope)
    return organization is not None and organization.pk in scope.orgs("institution_admin")


def _scope(user_or_scope):
    return user_or_scope if hasattr(user_or_scope, "orgs_by_role") else get_scope(user_or_scope)
