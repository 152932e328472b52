"""Policies of the spotlight and the talent-programme nominations (issue 17 item 6),
registered with the evaluation app's policies (tmhub.evaluation.policies imports this module).

- Spotlight entries: a published entry is public (anonymous too, both languages), and the
  manager reads the entries about them (to confirm their consent); drafts,
  consent, approval and withdrawal are the city's (municipal administrators). The approval is a
  second person's (the four-eyes rule of the workflow): never whoever drafted or submitted it.
- Talent programmes: read by everyone signed in; entered by the city or the 市人才工作局.
- Nominations: the manager reads their own (from submission on, never the nominator's draft);
  an institution's administrators read and edit the nominations their institution made; the
  市人才工作局's officers read every nomination that was submitted and take the review steps;
  municipal administrators read every row and nominate anyone, but do not review."""

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW
from tmhub.core.choices import Department
from tmhub.core.roles import Role
from tmhub.evaluation.models import Nomination, SpotlightEntry, TalentProgramme
from tmhub.evaluation.rating_choices import RoundStatus, SubjectKind
from tmhub.evaluation.spotlight_choices import NominationStatus as N
from tmhub.evaluation.spotlight_choices import SpotlightStatus

EDITABLE = (N.DRAFT, N.RETURNED)


def is_talent_officer(scope) -> bool:
    """An officer of the 市人才工作局 (department officer, department talent)."""
    return scope.has_role(Role.DEPARTMENT_OFFICER) and Department.TALENT in scope.departments


def _admin_orgs(scope):
    return scope.orgs(Role.INSTITUTION_ADMIN)


@policies.register
class SpotlightEntryPolicy(policies.Policy):
    model = SpotlightEntry

    def scope_q(self, scope, action):
        if action != VIEW:
            return None
        condition = Q(status=SpotlightStatus.PUBLISHED)
        if scope.user_id is not None:  # the manager reads their own, to confirm consent
            condition |= Q(rating__manager_id=scope.user_id) & \
                ~Q(status=SpotlightStatus.WITHDRAWN)
        return condition

    def can_create(self, scope, obj):
        return scope.is_municipal

    def can_manage(self, scope, obj):
        """Consent, citation, submission, approval and withdrawal: the city's."""
        return scope.is_municipal

    def can_pick(self, scope, rating):
        """A rating may be picked: a manager's, in a published round."""
        return scope.is_municipal and rating.subject_kind == SubjectKind.MANAGER and \
            rating.round.status == RoundStatus.PUBLISHED


def may_pick(actor, rating) -> bool:
    """May `actor` (a user or SYSTEM) put the manager of `rating` in the spotlight? A rule of
    the spotlight's policy about a rating (the rating's own policy knows nothing of it)."""
    from tmhub.core.access import get_scope
    from tmhub.core.actors import is_system

    if is_system(actor):
        return rating.subject_kind == SubjectKind.MANAGER and \
            rating.round.status == RoundStatus.PUBLISHED
    return policies.policy_for(SpotlightEntry).can_pick(get_scope(actor), rating)


@policies.register
class TalentProgrammePolicy(policies.Policy):
    model = TalentProgramme

    def scope_q(self, scope, action):
        if scope.user_id is None:
            return None
        if action == VIEW:
            return True
        return True if is_talent_officer(scope) else None

    def can_create(self, scope, obj):
        return scope.is_municipal or is_talent_officer(scope)


def may_nominate(actor, profile) -> bool:
    """May `actor` nominate the manager of `profile`? (The nomination policy's rule.)"""
    from tmhub.core.access import get_scope
    from tmhub.core.actors import is_system

    if is_system(actor):
        return profile is not None and profile.is_listed
    return policies.policy_for(Nomination).can_nominate(get_scope(actor), profile)


def nomination_q(scope, action=VIEW):
    if scope.user_id is None:
        return None
    orgs = _admin_orgs(scope)
    if action == CHANGE:
        return Q(institution_id__in=orgs, status__in=EDITABLE) if orgs else None
    condition = Q(manager_id=scope.user_id) & ~Q(status=N.DRAFT)
    if orgs:
        condition |= Q(institution_id__in=orgs)
    if is_talent_officer(scope):
        condition |= ~Q(status=N.DRAFT)
    return condition


@policies.register
class NominationPolicy(policies.Policy):
    model = Nomination

    def rows(self, queryset, scope, action=VIEW):
        """The city reads every nomination; it changes only the ones it made itself."""
        if action == CHANGE and scope.is_municipal:
            return queryset.filter(institution__isnull=True, status__in=EDITABLE)
        return super().rows(queryset, scope, action)

    def scope_q(self, scope, action):
        return nomination_q(scope, action)

    def can_create(self, scope, obj):
        return scope.is_municipal or bool(_admin_orgs(scope))

    def can_nominate(self, scope, profile):
        """May `scope` nominate the manager of `profile` (a ManagerProfile)? The city: any
        registered manager; an institution's administrators: their own staff."""
        if profile is None or not profile.is_listed:
            return False
        return scope.is_municipal or profile.employer_id in _admin_orgs(scope)

    def can_edit(self, scope, obj):
        """The nominator, while the nomination is a draft or returned for changes."""
        if obj.status not in EDITABLE:
            return False
        if obj.institution_id is None:
            return scope.is_municipal
        return obj.institution_id in _admin_orgs(scope)

    def can_review(self, scope, obj):
        return is_talent_officer(scope)
