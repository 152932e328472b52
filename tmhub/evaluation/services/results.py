"""Results of the title rounds (issue 16 item 6): the approved title on the manager's profile
(audited), the public notice list during the notice period (name, institution, level and
direction only), verification of a qualification number afterwards (as a training certificate
is verified), the revocation of an approved title by the bureau, the applicant told of each
result, and pass rates by level, direction and institution kind."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.sequences import next_value
from tmhub.evaluation import notices
from tmhub.evaluation.choices import APPROVED_ONCE
from tmhub.evaluation.choices import ApplicationStatus as S

PREFIX = "BJJJ"
LEVEL_LETTER = {"assistant_engineer": "A", "engineer": "E", "senior_engineer": "S",
                "professor_engineer": "P"}
SUFFIX_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B
NUMBER_LENGTH = 40


def make_number(year: int, level_code: str, serial: int, suffix: str | None = None) -> str:
    """BJJJ-2026-E00007-K7Q2: year, level letter and serial, then a random suffix so that
    numbers cannot be enumerated on the public verification page."""
    suffix = suffix or "".join(secrets.choice(SUFFIX_ALPHABET) for _ in range(4))
    return f"{PREFIX}-{year}-{LEVEL_LETTER.get(level_code, 'X')}{serial:05d}-{suffix}"


def grant_title(application, *, actor) -> str:
    """Inside the approval step: the qualification number, and the title on the manager's
    profile when it is higher than the one recorded there (audited on the profile)."""
    from tmhub.talent.choices import ProfessionalTitle

    year = application.round.year
    application.certificate_number = make_number(
        year, application.level.code, next_value(f"evaluation-title-{year}"))
    profile = type(application.applicant).objects.select_for_update().get(
        pk=application.applicant_id)
    order = [c.value for c in ProfessionalTitle]
    current = profile.professional_title or ProfessionalTitle.NONE
    new = application.level.code
    if new in order and order.index(new) > order.index(current if current in order else
                                                       ProfessionalTitle.NONE):
        before = snapshot(profile)
        profile.professional_title = new
        profile.save(update_fields=["professional_title", "updated_at"]
                     if hasattr(profile, "updated_at") else ["professional_title"])
        record_change(actor=actor, obj=profile, action=ObjectChange.Action.UPDATE,
                      before=before, related=application)
    return application.certificate_number


def _title_order() -> list[str]:
    from tmhub.talent.choices import ProfessionalTitle

    return [c.value for c in ProfessionalTitle]


def _title_before_grant(application, profile) -> str | None:
    """What the profile's title was before this application's approval raised it, read from
    the change `grant_title` recorded on the profile; None when the approval did not raise
    it."""
    changes = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(profile),
        object_id=str(profile.pk), action=ObjectChange.Action.UPDATE,
        related_content_type=ContentType.objects.get_for_model(application),
        related_object_id=str(application.pk)).order_by("time", "id")
    for change in changes:
        before = (change.before or {}).get("professional_title")
        after = (change.after or {}).get("professional_title")
        if after == application.level.code and before != after:
            return before
    return None


def withdraw_title(application, *, actor, reason: str) -> None:
    """Inside the revocation step: stamp who revoked the title, when and why; put the manager's
    profile back to the title it had before the approval raised it, unless the profile moved
    on since or another approved title still justifies a higher one (audited on the
    profile)."""
    from tmhub.evaluation.models import TitleApplication

    application.revoked_at = timezone.now()
    application.revoked_by = actor_user(actor)
    application.revocation_reason = reason[:2000]
    profile = type(application.applicant).objects.select_for_update().get(
        pk=application.applicant_id)
    previous = _title_before_grant(application, profile)
    if previous is None or profile.professional_title != application.level.code:
        return
    order = _title_order()
    still_held = TitleApplication.objects.filter(
        applicant_id=profile.pk, status=S.APPROVED).exclude(pk=application.pk).values_list(
        "level__code", flat=True)
    justified = [code for code in (previous, *still_held) if code in order]
    target = max(justified, key=order.index) if justified else order[0]
    if target == profile.professional_title:
        return
    before = snapshot(profile)
    profile.professional_title = target
    profile.save(update_fields=["professional_title", "updated_at"]
                 if hasattr(profile, "updated_at") else ["professional_title"])
    record_change(actor=actor, obj=profile, action=ObjectChange.Action.UPDATE,
                  before=before, related=application)


@transaction.atomic
def revoke_title(application, *, actor, reason: str):
    """The bureau revokes an approved title with the reason (falsified materials found after
    the approval): for good. The verification page then says the number was revoked, and the
    applicant is told. Anyone else is refused as if the application did not exist."""
    from tmhub.evaluation.models import TitleApplication
    from tmhub.evaluation.workflows import APPLICATION_WORKFLOW

    policies.require(actor, "view", application)
    application = TitleApplication.objects.select_for_update().select_related(
        "applicant", "level", "direction", "round").get(pk=application.pk)
    policies.require(actor, "revoke", application)
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why the title is revoked."), "reason_required")
    APPLICATION_WORKFLOW.transition(application, S.REVOKED, actor=actor, reason=reason,
                                    locked=True)
    notify([application.applicant.user], kind=notices.REVOKED.key, about=application,
           url=application.get_absolute_url(),
           subject=gettext_lazy("Your title %(level)s (qualification number %(number)s) was "
                                "revoked"),
           params={"level": level_name(application), "number": application.certificate_number},
           body=reason)
    return application


# ---------------------------------------------------------------- telling the applicant
def level_name(application):
    """The level's name in each recipient's language."""
    level = application.level
    return lazy(lambda: level.name, str)()


def tell_decision(application, *, reason: str = "") -> None:
    """Tell the applicant the result of their application (approved with the qualification
    number, or not approved with the bureau's reason when one was written)."""
    if application.status == S.APPROVED:
        notify([application.applicant.user], kind=notices.RESULT.key, about=application,
               url=application.get_absolute_url(),
               subject=gettext_lazy("Your title %(level)s was approved: qualification number "
                                    "%(number)s"),
               params={"level": level_name(application),
                       "number": application.certificate_number})
    elif application.status == S.NOT_APPROVED:
        notify([application.applicant.user], kind=notices.RESULT.key, about=application,
               url=application.get_absolute_url(),
               subject=gettext_lazy("Your application for the title %(level)s was not "
                                    "approved"),
               params={"level": level_name(application)}, body=reason)


# ---------------------------------------------------------------- public notice
def public_notices(on=None):
    """The applications whose result is under public notice today: only what a notice shows
    (name, institution, level, direction, the notice period)."""
    on = on or timezone.localdate()
    from tmhub.evaluation.models import TitleApplication

    return (TitleApplication.objects.filter(status=S.RESULT_NOTICE,
                                            result_notice_start__lte=on,
                                            result_notice_end__gte=on)
            .select_related("applicant", "institution", "level", "direction", "round")
            .order_by("level__rank", "direction__sort_order", "institution__name",
                      "applicant__full_name", "pk")
            .only("applicant__full_name", "institution__name", "level__name_zh",
                  "level__name_en", "level__rank", "direction__name_zh", "direction__name_en",
                  "direction__sort_order", "round__year", "result_notice_start",
                  "result_notice_end", "status"))


# ---------------------------------------------------------------- verification
def normalise_number(text: str) -> str:
    return (text or "").strip().upper()


def find_by_number(text: str):
    """The approved (or since revoked) application with this qualification number, or None (a
    number no title can carry is unknown without asking the database)."""
    from tmhub.evaluation.models import TitleApplication

    number = normalise_number(text)
    if not number or len(number) > NUMBER_LENGTH or "/" in number or not number.isprintable():
        return None
    return (TitleApplication.objects.select_related("applicant", "institution", "level",
                                                    "direction", "round")
            .filter(certificate_number=number, status__in=APPROVED_ONCE).first())


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def verification(application) -> dict:
    """What the public verification shows: no more than the notice did, and the date; for a
    revoked title that it was revoked and when (never why)."""
    revoked = application.status == S.REVOKED
    return {
        "number": application.certificate_number,
        "result": "revoked" if revoked else "valid",
        "holder_name": application.applicant.full_name,
        "institution": application.institution.name,
        "level": application.level.code,
        "level_name": application.level.name,
        "direction": application.direction.code,
        "direction_name": application.direction.name,
        "approved_on": _local_date(application.decided_at),
        "revoked_on": _local_date(application.revoked_at) if revoked else None,
    }


# ---------------------------------------------------------------- pass rates
@dataclass(frozen=True)
class PassRate:
    key: str
    label: str
    decided: int
    approved: int

    @property
    def rate(self):
        """Approved over decided, in percent with one decimal (None when none was decided)."""
        from decimal import ROUND_HALF_UP, Decimal

        if not self.decided:
            return None
        return (Decimal(self.approved * 100) / Decimal(self.decided)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP)


def decided_in(queryset, period):
    return queryset.filter(status__in=(*APPROVED_ONCE, S.NOT_APPROVED),
                           decided_at__date__range=(period.start, period.end))


def pass_rates(queryset, period) -> dict[str, list[PassRate]]:
    """Pass rates of the applications decided in `period` (approved over approved and not
    approved), by level, by direction and by the employer's kind of institution; `queryset`
    is what the reader may see."""
    from tmhub.core.choices import OrgKind
    from tmhub.evaluation.models import TitleDirection, TitleLevel

    rows = decided_in(queryset, period).order_by()
    approved = Count("pk", filter=Q(status__in=APPROVED_ONCE))

    def grouped(field):
        return {key: (n, a) for key, n, a in rows.values_list(field).annotate(
            n=Count("pk"), a=approved).values_list(field, "n", "a")}

    by_level = grouped("level_id")
    by_direction = grouped("direction_id")
    by_kind = grouped("institution__kind")
    kinds = dict(OrgKind.choices)
    return {
        "level": [PassRate(level.code, level.name, *by_level.get(level.pk, (0, 0)))
                  for level in TitleLevel.objects.all()],
        "direction": [PassRate(d.code, d.name, *by_direction.get(d.pk, (0, 0)))
                      for d in TitleDirection.objects.all()],
        "institution_kind": [PassRate(kind, str(kinds.get(kind, kind)), n, a)
                             for kind, (n, a) in sorted(by_kind.items())],
    }
