"""Who sees and does what in the districts app (issue 15 item 11): one policy per model.

A district's officers (`Scope.district_ids`) run their own district's liaison agreements,
commissioner posts, events and landings, and see nothing of another district's drafts; the city
sees and runs every district. Published vacancies and events are public (anyone may read them,
signed-in people may apply or register); a liaison agreement is read by its two parties; an
application by its applicant; a landing by the managers it is attributed to.
"""

from __future__ import annotations

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import VIEW, Scope
from tmhub.core.policies import Policy
from tmhub.core.roles import Role
from tmhub.districts.choices import PostStatus
from tmhub.districts.models import (
    CommissionerApplication,
    CommissionerPost,
    EventFollowUp,
    EventRegistration,
    Landing,
    LiaisonAgreement,
    MatchEvent,
)


def runs_district(scope: Scope, district_id) -> bool:
    """The city, and the officers of that district."""
    if scope.is_municipal:
        return True
    return (Role.DISTRICT_OFFICER in scope.roles and district_id is not None
            and district_id in scope.district_ids)


def runs_any_district(scope: Scope) -> bool:
    return scope.is_municipal or (Role.DISTRICT_OFFICER in scope.roles
                                  and bool(scope.district_ids))


def _own_district_q(scope: Scope, prefix: str = "") -> Q | None:
    if Role.DISTRICT_OFFICER in scope.roles and scope.district_ids:
        return Q(**{f"{prefix}district__in": scope.district_ids})
    return None


def _either(*conditions):
    result = None
    for condition in conditions:
        if condition is None:
            continue
        result = condition if result is None else result | condition
    return result


@policies.register
class LiaisonAgreementPolicy(Policy):
    """Read by the district's officers and the institution's administrators; recorded and
    renewed by the district."""

    model = LiaisonAgreement

    def scope_q(self, scope, action):
        own = _own_district_q(scope)
        if action != VIEW:
            return own
        institutions = scope.orgs(Role.INSTITUTION_ADMIN)
        return _either(own, Q(institution__in=institutions) if institutions else None)

    def can_create(self, scope, obj):
        district_id = getattr(obj, "district_id", None) if not isinstance(obj, type) else None
        return runs_district(scope, district_id) if district_id else runs_any_district(scope)

    def can_renew(self, scope, obj):
        return runs_district(scope, obj.district_id) and not hasattr_renewal(obj)


def liaison_partners(district, day):
    """The agreements through which `district` is connected to institutions on `day` (issue
    15 item 6). Which institutions a district works with is public — its page names them with
    the end of each term, nothing more; an agreement itself (contacts, scope) is read by its
    two parties (`LiaisonAgreementPolicy`)."""
    return (LiaisonAgreement.objects.filter(district=district, starts_on__lte=day,
                                            ends_on__gte=day)
            .select_related("institution").order_by("institution__name_pinyin"))


def hasattr_renewal(agreement) -> bool:
    return LiaisonAgreement.objects.filter(renews=agreement).exists()


@policies.register
class CommissionerPostPolicy(Policy):
    """Vacancies and filled posts are public; drafts are the district's own."""

    model = CommissionerPost

    def scope_q(self, scope, action):
        own = _own_district_q(scope)
        if action != VIEW:
            return own
        return _either(own, Q(status__in=[PostStatus.OPEN, PostStatus.FILLED]))

    def can_create(self, scope, obj):
        district_id = getattr(obj, "district_id", None) if not isinstance(obj, type) else None
        return runs_district(scope, district_id) if district_id else runs_any_district(scope)

    def can_publish(self, scope, obj):
        return obj.status == PostStatus.DRAFT and runs_district(scope, obj.district_id)

    def can_appoint(self, scope, obj):
        return obj.status == PostStatus.OPEN and runs_district(scope, obj.district_id)

    def can_view_applications(self, scope, obj):
        return runs_district(scope, obj.district_id)

    def can_apply(self, scope, obj):
        """Registered technology managers apply for a published vacancy (once)."""
        return (obj.status == PostStatus.OPEN and Role.MANAGER in scope.roles
                and not obj.applications.filter(applicant_id=scope.user_id).exists())


@policies.register
class CommissionerApplicationPolicy(Policy):
    model = CommissionerApplication

    def scope_q(self, scope, action):
        own = _own_district_q(scope, "post__")
        if action != VIEW:
            return own
        return _either(own, Q(applicant_id=scope.user_id) if scope.user_id else None)


@policies.register
class MatchEventPolicy(Policy):
    """Published events are public; the district runs its own."""

    model = MatchEvent

    def scope_q(self, scope, action):
        own = _own_district_q(scope)
        if action != VIEW:
            return own
        return _either(own, Q(is_published=True))

    def can_create(self, scope, obj):
        district_id = getattr(obj, "district_id", None) if not isinstance(obj, type) else None
        return runs_district(scope, district_id) if district_id else runs_any_district(scope)

    def can_register(self, scope, obj):
        """Signed-in enterprises, institutions and managers, for a published event that has
        not yet taken place, once."""
        from django.utils import timezone

        return (scope.is_authenticated and obj.is_published
                and obj.held_on >= timezone.localdate()
                and bool(scope.roles & {Role.ENTERPRISE, Role.INSTITUTION_ADMIN, Role.MANAGER})
                and not obj.registrations.filter(person_id=scope.user_id).exists())

    def can_manage(self, scope, obj):
        return runs_district(scope, obj.district_id)


@policies.register
class EventRegistrationPolicy(Policy):
    model = EventRegistration

    def scope_q(self, scope, action):
        own = _own_district_q(scope, "event__")
        if action != VIEW:
            return own
        return _either(own, Q(person_id=scope.user_id) if scope.user_id else None)


@policies.register
class LandingPolicy(Policy):
    """The district's officers record and read their landings; the managers a landing is
    attributed to read it too."""

    model = Landing

    def scope_q(self, scope, action):
        own = _own_district_q(scope)
        if action != VIEW:
            return own
        return _either(own, Q(managers=scope.user_id) if scope.user_id else None)

    def rows(self, queryset, scope, action=VIEW):
        rows = super().rows(queryset, scope, action)
        return rows.distinct() if action == VIEW and not scope.is_municipal else rows

    def can_create(self, scope, obj):
        district_id = getattr(obj, "district_id", None) if not isinstance(obj, type) else None
        return runs_district(scope, district_id) if district_id else runs_any_district(scope)


@policies.register
class EventFollowUpPolicy(Policy):
    """Follow-ups are the organising district's records (the city: all)."""

    model = EventFollowUp

    def scope_q(self, scope, action):
        return _own_district_q(scope, "event__")
