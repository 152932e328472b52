"""Policies of the use of rating results (issue 17 item 4), registered with the evaluation
app's policies (tmhub.evaluation.policies imports this module). The ratings' own policy
(who reads a rating and its explanation) stays in policies_ratings.py; this module adds what
the uses need and that policy does not say.

- A rating cited by a title application is read with the application (its applicant, the
  employer once submitted, the bureau once endorsed, the assigned reviewers, the city) and
  changed only through it: its applicant, while the application is a draft or returned.
- An institution's latest rating on its registry page is shown to the institution's own
  people (every membership of the organisation: its administrators and staff), to the
  department overseeing its kind and the district officers of its district (the registry's
  non-public scope, `orgs.policies.InstitutionRegistrationPolicy`) and to the city; the
  public and other institutions do not see it.
- Exports of a published round's results (appointments, performance reviews): the city
  exports every rating of the round; an institution's administrators the ratings of the
  managers it employed when the ratings were computed (its own staff), nothing else."""

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.roles import Role
from tmhub.evaluation.models import RatingEvidence
from tmhub.evaluation.policies import ApplicationPartPolicy
from tmhub.evaluation.rating_choices import RoundStatus, SubjectKind


@policies.register
class RatingEvidencePolicy(ApplicationPartPolicy):
    """A cited rating: read with its application, changed only by its applicant."""

    model = RatingEvidence


def sees_institution_rating(scope, organization) -> bool:
    """May `scope` see `organization`'s latest rating on its registry page?"""
    if scope.is_municipal:
        return True
    if not scope.is_authenticated:
        return False
    return (organization.pk in scope.orgs()
            or organization.kind in scope.department_org_kinds
            or (organization.district_id is not None
                and organization.district_id in scope.district_ids))


def may_export_results(scope) -> bool:
    """The city and institutions' administrators export rating results."""
    return scope.is_municipal or bool(scope.orgs(Role.INSTITUTION_ADMIN))


def export_q(scope, kind: str):
    """The ratings of a round of `kind` that `scope` exports (a Q, True for all, or None)."""
    if scope.is_municipal:
        return Q(round__status=RoundStatus.PUBLISHED)
    orgs = scope.orgs(Role.INSTITUTION_ADMIN)
    if not orgs or kind != SubjectKind.MANAGER:
        return None
    return Q(round__status=RoundStatus.PUBLISHED, subject_kind=SubjectKind.MANAGER,
             employer_id__in=orgs)
