"""Policies of the case library (issue 17 item 5), registered with the evaluation app's
policies (tmhub.evaluation.policies imports this module).

- A published case is public: everyone reads it, signed in or not — without the figures it
  withholds (`can_see_withheld`).
- A case not published is read by its editors: the administrators of the owner institution,
  the project's active managers, whoever drafted it, and the city (municipal
  administrators). They read the withheld figures too.
- Drafting from a project: the institution's administrators, the project's active managers
  and the city. Editing (narrative, flags, reading the records again) while a draft or
  returned; submitting and withdrawing: the editors.
- The institution's review: its administrators; the city's review, publication: the city.
  Unpublishing: the city or the owner institution's administrators.
- Consents are recorded by the editors until the case is published; read by the editors.
"""

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import VIEW
from tmhub.core.roles import Role
from tmhub.evaluation.case_choices import CaseStatus as C
from tmhub.evaluation.models import CaseConsent, TransferCase

EDITABLE = (C.DRAFT, C.RETURNED)
CONSENT_OPEN = (C.DRAFT, C.SUBMITTED, C.RETURNED, C.INSTITUTION_REVIEWED, C.CITY_REVIEWED)


def _admin_orgs(scope):
    return scope.orgs(Role.INSTITUTION_ADMIN)


def editors_q(scope, prefix: str = "") -> Q | None:
    """The cases `scope` edits (the city: all of them, by the base policy)."""
    if scope.user_id is None:
        return None
    from tmhub.transfer.models import ProjectAssignment

    p = prefix
    managed = ProjectAssignment.objects.filter(
        user_id=scope.user_id, released_on__isnull=True).values("project_id")
    condition = Q(**{f"{p}created_by_id": scope.user_id}) | Q(
        **{f"{p}project_id__in": managed})
    orgs = _admin_orgs(scope)
    if orgs:
        condition |= Q(**{f"{p}institution_id__in": orgs})
    return condition


def may_draft_from(scope, project) -> bool:
    """The project's institution's administrators, its active managers, the city."""
    from tmhub.transfer.policies import works_on

    if scope.user_id is None:
        return False
    return scope.is_municipal or project.institution_id in _admin_orgs(scope) or \
        works_on(scope, project)


def _edits(scope, case) -> bool:
    if scope.user_id is None:
        return False
    if scope.is_municipal or case.institution_id in _admin_orgs(scope) or \
            case.created_by_id == scope.user_id:
        return True
    from tmhub.transfer.policies import works_on

    return works_on(scope, case.project)


@policies.register
class TransferCasePolicy(policies.Policy):
    model = TransferCase

    def scope_q(self, scope, action):
        mine = editors_q(scope)
        if action == VIEW:
            published = Q(status=C.PUBLISHED)
            return published | mine if mine is not None else published
        return mine

    def visible_fields(self, scope, obj):
        # The raw snapshot carries every figure: only who may read the withheld ones gets it
        # (history, exports); pages and the API read `case_facts.public_facts` otherwise.
        if self.can_see_withheld(scope, obj):
            return self.all_fields()
        return self.all_fields() - {"facts", "created_by"}

    def can_create(self, scope, obj):
        if isinstance(obj, type):  # "may this persona draft cases at all?" (the button)
            return scope.is_municipal or scope.has_role(Role.INSTITUTION_ADMIN) or \
                scope.has_role(Role.MANAGER)
        return may_draft_from(scope, obj.project)

    def can_see_withheld(self, scope, obj):
        return _edits(scope, obj)

    def can_edit(self, scope, obj):
        return obj.status in EDITABLE and _edits(scope, obj)

    def can_submit(self, scope, obj):
        return _edits(scope, obj)

    def can_withdraw(self, scope, obj):
        return _edits(scope, obj)

    def can_revise(self, scope, obj):
        return _edits(scope, obj)

    def can_review_institution(self, scope, obj):
        return obj.institution_id in _admin_orgs(scope)

    def can_review_city(self, scope, obj):
        return scope.is_municipal

    def can_publish(self, scope, obj):
        return scope.is_municipal

    def can_unpublish(self, scope, obj):
        return scope.is_municipal or obj.institution_id in _admin_orgs(scope)

    def can_record_consent(self, scope, obj):
        return obj.status in CONSENT_OPEN and _edits(scope, obj)


@policies.register
class CaseConsentPolicy(policies.Policy):
    model = CaseConsent

    def scope_q(self, scope, action):
        return editors_q(scope, "case__") if action == VIEW else None
