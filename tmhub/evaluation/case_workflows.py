"""The transition map of a typical case (issue 17 item 5):

draft → submitted → reviewed by the owner institution → reviewed by the city → published;
either review may return the case with comments (the reason), the drafters resubmit it; the
drafters may withdraw a case not yet reviewed; a published case may be unpublished (with the
reason) and reopened as a draft to be revised.

Four eyes: who drafted, edited or submitted a case takes none of its reviews and does not
publish it (`core.FourEyesRule` "evaluation.case.review", seeded by migration 0014; when the
rule row is missing the rule still holds, so it fails closed). Publication needs the consent
of every party (`CaseConsent`), checked by a guard, so the button says what is missing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.workflow import FourEyes, Transition, TransitionError, Workflow, stepped_by
from tmhub.evaluation.case_choices import CaseEvent as E
from tmhub.evaluation.case_choices import CaseStatus as C

CASE_REVIEW_STEP = "evaluation.case.review"


class SecondPersonAlways(FourEyes):
    """Four eyes that fail closed: a second person reviews and publishes unless a rule in
    force has expressly lifted it; a missing rule row keeps the rule."""

    def refusal(self, obj, actor):
        from tmhub.core.actors import actor_user

        user_id = getattr(actor_user(actor), "pk", None)
        if user_id is None:
            return None
        rule = self.rule()
        if rule is not None and not rule.second_person_required:
            return None
        if user_id not in set(self.prepared_by(obj)):
            return None
        name = rule.name if rule is not None else _(
            "a case is reviewed and published by someone other than who drafted it")
        return TransitionError(
            _("You drafted or submitted this record, so another person must take this step "
              "(four-eyes rule: %(rule)s).") % {"rule": name},
            code="same_person_approval")


def _author(case) -> list:
    return [case.created_by_id]


CASE_FOUR_EYES = SecondPersonAlways(
    CASE_REVIEW_STEP, stepped_by(E.SUBMITTED, edits=True, also=_author))


def _may(verb: str):
    def permitted(scope, obj) -> bool:
        return policies.policy_for(obj).allows(scope, verb, obj)

    permitted.__name__ = f"may_{verb}"
    return permitted


def missing_consents(case) -> list[str]:
    """The names of the parties whose consent is not yet recorded."""
    from tmhub.evaluation.case_facts import consenting_parties

    given = set(case.consents.values_list("party_id", flat=True))
    return [p["name"] for p in consenting_parties(case.facts)
            if p["organization"] not in given]


def _consent_recorded(case) -> None:
    missing = missing_consents(case)
    if missing:
        raise ValidationError(
            _("The parties' consent to publication is not recorded yet: %(parties)s.")
            % {"parties": "、".join(missing)}, code="consent_missing")
    if not case.consents.exists():
        raise ValidationError(_("Record the consent to publication first."),
                              code="consent_missing")


def _stamp_published(step) -> None:
    step.obj.published_at = timezone.now()
    step.data["withheld"] = sorted(step.obj.withheld())
    step.data["facts_as_of"] = step.obj.facts_as_of.isoformat() if step.obj.facts_as_of else ""


CASE_WORKFLOW = Workflow([
    Transition(C.DRAFT, C.SUBMITTED, _may("submit"), E.SUBMITTED,
               label=gettext_lazy("Submit for review")),
    Transition(C.RETURNED, C.SUBMITTED, _may("submit"), E.SUBMITTED,
               label=gettext_lazy("Resubmit for review")),
    Transition(C.SUBMITTED, C.INSTITUTION_REVIEWED, _may("review_institution"),
               E.INSTITUTION_REVIEWED, label=gettext_lazy("Approve for the institution"),
               style="success", four_eyes=CASE_FOUR_EYES),
    Transition(C.SUBMITTED, C.RETURNED, _may("review_institution"), E.RETURNED,
               label=gettext_lazy("Return with comments"), needs_reason=True,
               style="outline-warning"),
    Transition(C.INSTITUTION_REVIEWED, C.CITY_REVIEWED, _may("review_city"), E.CITY_REVIEWED,
               label=gettext_lazy("Approve for the city"), style="success",
               four_eyes=CASE_FOUR_EYES),
    Transition((C.INSTITUTION_REVIEWED, C.CITY_REVIEWED), C.RETURNED, _may("review_city"),
               E.RETURNED, label=gettext_lazy("Return with comments"), needs_reason=True,
               style="outline-warning"),
    Transition(C.CITY_REVIEWED, C.PUBLISHED, _may("publish"), E.PUBLISHED,
               label=gettext_lazy("Publish"), style="success", guards=(_consent_recorded,),
               effects=(_stamp_published,), four_eyes=CASE_FOUR_EYES,
               confirm=gettext_lazy("Publish this case on the public case pages, with the "
                                    "figures it does not withhold?")),
    Transition((C.DRAFT, C.SUBMITTED, C.RETURNED), C.WITHDRAWN, _may("withdraw"), E.WITHDRAWN,
               label=gettext_lazy("Withdraw"), asks_reason=True, style="outline-danger"),
    Transition(C.PUBLISHED, C.UNPUBLISHED, _may("unpublish"), E.UNPUBLISHED,
               label=gettext_lazy("Unpublish"), needs_reason=True, style="outline-danger",
               confirm=gettext_lazy("Take this case off the public case pages?")),
    Transition(C.UNPUBLISHED, C.DRAFT, _may("revise"), E.REVISED,
               label=gettext_lazy("Reopen as a draft")),
])
