"""年度备案: annual filing of registered managers and institutions, pre-filled from the records.

`open_filings(year)` creates one filing per registered manager and registered institution with
the figures the platform already knows. A manager's filing asks for every metric of the
registry tagged FILING (`tmhub.core.metrics`; transfer and training define theirs), an
institution's for the institution figures tagged INSTITUTION_FILING (`talent/metrics.py`:
contracts, income, staff, registered managers), each computed for all the year's filers in one
pass (`compute_prefill`: one call per metric over every subject at once, whatever their number).

The pre-fill follows the records until the filing is filed: a contract or receipt of the year
recorded after the filings were opened (in January, or by a late import) is in the figures the
filer sees (`current_prefill`) and in the `prefilled` kept at submission, against which the
filer's corrections are judged. The filer confirms or corrects them with `submit_filing`, the
one step of `FILING_WORKFLOW`. Money is stored in fen and entered and shown in yuan.
`enforce_filing_deadlines` (a Celery beat task) flags overdue filings and,
after the grace period of the FilingPolicy in force, suspends the manager's registration.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.selectors import users_with_role
from tmhub.core import metrics, policies
from tmhub.core.actors import SYSTEM, actor_user
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.metrics import FEN, FILING, Period
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.core.validators import validate_past_year
from tmhub.core.workflow import Transition, Workflow
from tmhub.orgs.choices import RegistrationStatus as OrgStatus
from tmhub.orgs.models import InstitutionRegistration
from tmhub.talent.choices import FilingStatus, FilingSubject, RegistrationEvent
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.metrics import INSTITUTION_FILING
from tmhub.talent.models import AnnualFiling, FilingPolicy, ManagerRegistration
from tmhub.transfer.rewards_engine import format_fen

logger = logging.getLogger(__name__)

# Stored by earlier versions with an institution's figures: how many registered managers it had
# (now the metric `institution_registered_managers`); kept so old filings read in words.
REGISTERED_MANAGERS = "registered_managers"

FILING_WORKFLOW = Workflow([
    Transition(FilingStatus.OPEN, FilingStatus.SUBMITTED,
               lambda scope, filing: policies.allows(scope, "file", filing),
               RegistrationEvent.FILING_SUBMITTED, label=gettext_lazy("Confirm and file")),
])


def due_date_for(year: int) -> datetime.date:
    """The filing for `year` is due in the following year, on the policy's date."""
    policy = FilingPolicy.objects.current(datetime.date(year + 1, 1, 1))
    return datetime.date(year + 1, policy.due_month, policy.due_day)


# ---------------------------------------------------------------- pre-filled figures
def to_json_number(value):
    """JSON-safe number: ints stay ints, Decimals become strings, anything else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, float):
        # Floats are not money; metrics should not return them, but counts may arrive as 3.0.
        return int(value) if value.is_integer() else str(Decimal(str(value)))
    return None


def _tag(subject: str) -> str:
    return INSTITUTION_FILING if subject == FilingSubject.INSTITUTION else FILING


def compute_prefill(filers: Mapping[Hashable, Iterable[int]], year: int, *,
                    tag: str = FILING) -> dict:
    """{filer: {metric key: number}} for many filers at once, each a list of subject ids (one
    manager; for `tag=INSTITUTION_FILING`, one organisation), whose figures are summed.

    Each metric of `tag` is computed once over the union of every filer's subjects, so the
    number of queries does not depend on how many filers there are. A metric that fails is
    logged and left blank (None) for everyone: one broken module must not block the filing.
    """
    members = {filer: list(dict.fromkeys(ids)) for filer, ids in filers.items()}
    everyone = sorted({uid for ids in members.values() for uid in ids})
    period = Period.year(year)
    figures: dict = {filer: {} for filer in members}
    for metric in metrics.tagged(tag):
        try:
            values = metric.values(everyone, period)
        except Exception:  # noqa: BLE001 - a broken figure must not block filing
            logger.exception("filing metric %s failed", metric.key)
            values = None
        for filer, ids in members.items():
            if values is None:
                figures[filer][metric.key] = None
                continue
            total = sum((values.get(uid, metric.zero()) for uid in ids), metric.zero())
            figures[filer][metric.key] = to_json_number(total)
    return figures


def _subject_ids(filing: AnnualFiling) -> list[int]:
    if filing.registration_id:
        return [filing.registration.profile.user_id]
    return [filing.institution_registration.organization_id]


def current_prefill(filing: AnnualFiling) -> dict:
    """The figures the records give now: recomputed while the filing is open (records of the
    year entered after it was opened count), the kept pre-fill once it is filed."""
    if filing.status != FilingStatus.OPEN:
        return dict(filing.prefilled)
    fresh = compute_prefill({"filer": _subject_ids(filing)}, filing.year,
                            tag=_tag(filing.subject))["filer"]
    return fresh


def figure_label(key: str):
    """How a stored figure is named on the form: its metric's label (the key itself for a
    figure whose metric no longer exists)."""
    if key == REGISTERED_MANAGERS:
        return gettext_lazy("Registered technology managers")
    try:
        return metrics.get(key).label
    except LookupError:
        return key


def figure_is_money(key: str) -> bool:
    """Money figures are stored in fen and entered and shown in yuan."""
    try:
        return metrics.get(key).unit == FEN
    except LookupError:
        return key.endswith("_fen")


def fen_to_yuan(value):
    """Fen (an int, or None) as yuan with two decimals."""
    if value is None or value == "":
        return None
    return (Decimal(str(value)) / 100).quantize(Decimal("0.01"))


def yuan_to_fen(value):
    """Yuan typed with at most two decimals, as whole fen (None stays None)."""
    if value is None or value == "":
        return None
    return int((Decimal(str(value)) * 100).to_integral_value())


def shown(value, money: bool) -> str:
    """A figure as the page shows it: money as yuan with two decimals (¥1,234.56)."""
    if value is None or value == "":
        return "—"
    if money:
        fen = int(value)
        return f"{'-' if fen < 0 else ''}¥{format_fen(abs(fen))}"
    return str(value)


# How a metric's label may name its storage unit; the filing names the unit it is typed in.
FEN_SUFFIXES = (" (fen)", "（分）", "(分)")


def money_label(label) -> str:
    """A money figure's label as the form shows it: in yuan, whatever unit it is stored in."""
    text = str(label)
    for suffix in FEN_SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return _("%(figure)s (yuan)") % {"figure": text}


def figure_row(key: str, prefilled, filed) -> dict:
    """One line of the filing page: the figure's name in words, its unit, both values."""
    money = figure_is_money(key)
    label = money_label(figure_label(key)) if money else figure_label(key)
    return {"key": key, "label": label, "money": money, "prefilled": prefilled,
            "filed": filed, "prefilled_text": shown(prefilled, money),
            "filed_text": shown(filed, money)}


def figure_keys(filing: AnnualFiling) -> list[str]:
    """The figures the form asks for while open: every metric of the filer's kind (an
    institution's filing opened by an older version asks for the institution figures too);
    once filed, what was pre-filled and filed."""
    keys = [m.key for m in metrics.tagged(_tag(filing.subject))]
    if filing.status == FilingStatus.OPEN:
        return keys
    keys = [k for k in keys if k in filing.prefilled or k in filing.figures]
    for key in (*filing.prefilled, *filing.figures):
        if key not in keys:
            keys.append(key)
    return keys


@dataclass
class Filers:
    """Who has a filing of the year still to open, and whose figures make up each one."""

    registrations: list[ManagerRegistration]  # registered (or suspended) managers
    institutions: list[InstitutionRegistration]  # approved institutions

    def subjects(self) -> dict[tuple[str, int], list[int]]:
        """The input of `compute_prefill` for the managers: each with their own user id."""
        return {("manager", r.pk): [r.profile.user_id] for r in self.registrations}

    def institution_subjects(self) -> dict[tuple[str, int], list[int]]:
        """The input of `compute_prefill(tag=INSTITUTION_FILING)`: each institution's
        organisation."""
        return {("institution", i.pk): [i.organization_id] for i in self.institutions}


def filers_without_filing(year: int) -> Filers:
    """The managers and institutions with no filing for `year` yet (two queries)."""
    have_managers = AnnualFiling.objects.filter(year=year, registration__isnull=False).values(
        "registration_id")
    have_orgs = AnnualFiling.objects.filter(
        year=year, institution_registration__isnull=False).values("institution_registration_id")
    registrations = list(ManagerRegistration.objects.filter(
        status__in=(S.REGISTERED, S.SUSPENDED)).exclude(pk__in=have_managers)
        .select_related("profile").only("pk", "profile__user_id", "profile__full_name"))
    institutions = list(InstitutionRegistration.objects.filter(status=OrgStatus.APPROVED)
                        .exclude(pk__in=have_orgs))
    return Filers(registrations, institutions)


@transaction.atomic
def open_filings(year: int, *, actor) -> int:
    """Create the missing filings of `year` for every registered manager and institution,
    pre-filled in one pass over all of them."""
    policies.require(actor, "open", AnnualFiling)
    validate_past_year(year)
    due = due_date_for(year)
    filers = filers_without_filing(year)
    figures = compute_prefill(filers.subjects(), year)
    figures |= compute_prefill(filers.institution_subjects(), year, tag=INSTITUTION_FILING)
    new = [AnnualFiling(subject=FilingSubject.MANAGER, year=year, registration=r, due_date=due,
                        prefilled=figures[("manager", r.pk)]) for r in filers.registrations]
    for institution in filers.institutions:
        prefilled = figures[("institution", institution.pk)]
        new.append(AnnualFiling(subject=FilingSubject.INSTITUTION, year=year,
                                institution_registration=institution, due_date=due,
                                prefilled=prefilled))
    for filing in new:
        filing.save()
        record_change(actor=actor, obj=filing, action=ObjectChange.Action.CREATE, before=None)
    return len(new)


# ---------------------------------------------------------------- filing
def _clean_figures(filing: AnnualFiling, figures: dict) -> dict:
    confirmed, errors = {}, {}
    for key in figure_keys(filing):
        value = figures.get(key, filing.prefilled.get(key))
        number = to_json_number(value)
        if value not in (None, "") and number is None:
            errors[key] = _("Enter a number.")
        elif number is not None and int(float(number)) < 0:
            errors[key] = _("Figures cannot be negative.")
        confirmed[key] = number
    if errors:
        raise ValidationError(errors, code="invalid")
    return confirmed


@transaction.atomic
def submit_filing(filing: AnnualFiling, *, actor, figures: dict, summary: str = "",
                  corrections_note: str = "") -> AnnualFiling:
    """Confirm (or correct) the pre-filled figures; a correction needs an explanation."""
    filing = AnnualFiling.objects.select_for_update().get(pk=filing.pk)
    policies.require(actor, "view", filing)
    if filing.status != FilingStatus.OPEN:
        raise ValidationError(_("This filing has already been submitted."), code="filed")
    before = snapshot(filing)
    # The figures the records give at filing time: what a correction is measured against.
    filing.prefilled = current_prefill(filing)
    confirmed = _clean_figures(filing, figures)
    corrected = [k for k in confirmed if confirmed[k] != filing.prefilled.get(k)]
    if corrected and not corrections_note.strip():
        raise ValidationError(
            {"corrections_note": _("Explain why you corrected the pre-filled figures.")},
            code="required",
        )
    filing.figures = confirmed
    filing.summary = summary
    filing.corrections_note = corrections_note
    filing.submitted_at = timezone.now()
    filing.submitted_by = actor_user(actor)
    filing.overdue_since = None
    FILING_WORKFLOW.transition(filing, FilingStatus.SUBMITTED, actor=actor, locked=True,
                               data={"corrected": corrected})
    record_change(actor=actor, obj=filing, action=ObjectChange.Action.UPDATE, before=before)
    return filing


def _filing_people(filing):
    if filing.registration_id:
        return [filing.registration.profile.user]
    return list(users_with_role(
        Role.INSTITUTION_ADMIN, organization=filing.institution_registration.organization_id))


def enforce_filing_deadlines(*, today: datetime.date | None = None) -> dict:
    """Flag overdue filings; suspend managers whose filing is past the grace period.

    Institutions are flagged only: their registration workflow (orgs) has no suspended state.
    """
    from tmhub.talent.registration import transition_registration

    today = today or timezone.localdate()
    policy = FilingPolicy.objects.current(today)
    flagged = suspended = 0
    overdue = AnnualFiling.objects.filter(status=FilingStatus.OPEN, due_date__lt=today)
    for filing in overdue.filter(overdue_since__isnull=True).select_related(
        "registration__profile__user", "institution_registration__organization"
    ):
        with transaction.atomic():
            filing.overdue_since = today
            filing.save(update_fields=["overdue_since", "updated_at"])
            record_event(actor=SYSTEM, obj=filing, event_type=RegistrationEvent.FILING_OVERDUE,
                         data={"due_date": filing.due_date.isoformat()})
            notify(_filing_people(filing), kind="talent.filing_overdue", about=filing,
                   subject=gettext_lazy("Your annual filing for %(year)s is overdue"),
                   params={"year": filing.year}, url=filing.get_absolute_url())
        flagged += 1
    limit = today - datetime.timedelta(days=policy.grace_days)
    for filing in overdue.filter(due_date__lt=limit, registration__status=S.REGISTERED):
        transition_registration(
            filing.registration, S.SUSPENDED, actor=SYSTEM,
            reason=_("Annual filing for %(year)s not submitted within %(days)s days of the "
                     "deadline.") % {"year": filing.year, "days": policy.grace_days},
        )
        suspended += 1
    return {"flagged": flagged, "suspended": suspended}
