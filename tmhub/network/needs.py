"""Service needs and introductions (issue 14 item 2): every write with its actor, in one
transaction, audited; providers ranked for a need with the reasons shown to the user.

The ranking reads the public catalogue (the service type asked for, the fields and districts
served, the price against the budget) and asks the matching service
(`tmhub.matching.services.providers_for_need`) for the words of the need, so a provider the
catalogue does not list for that type can still be found by what it offers."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tmhub.core import notifications, policies
from tmhub.core.access import VIEW
from tmhub.core.audit import record_change, snapshot
from tmhub.core.choices import SERVICE_PROVIDER_KINDS
from tmhub.core.models import ObjectChange
from tmhub.core.roles import Role
from tmhub.network import notices
from tmhub.network.choices import IntroductionStatus, NeedStatus, ServiceStatus
from tmhub.network.models import Introduction, ProviderService, ServiceNeed
from tmhub.network.workflows import INTRODUCTION_WORKFLOW, NEED_WORKFLOW

NEED_FIELDS = ("service_type", "field", "district", "title", "description", "budget_fen",
               "deadline")
UI_LANGUAGES = {"zh": "zh-hans", "en": "en"}


def _user(actor):
    from tmhub.core.actors import actor_user

    return actor_user(actor)


def _check_need(need) -> None:
    errors = {}
    if need.deadline and need.deadline < timezone.localdate():
        errors["deadline"] = ValidationError(_("The deadline must not be in the past."),
                                             code="deadline_past")
    if need.service_type_id and not need.service_type.is_active:
        errors["service_type"] = ValidationError(_("This service type is no longer offered."),
                                                 code="service_type_inactive")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def post_need(*, actor, project, **data) -> ServiceNeed:
    """A new open need for `project` (its institution's administrators or active managers).
    The field and district default to the project's field and its institution's district."""
    need = ServiceNeed(project=project, posted_by=_user(actor))
    policies.require(actor, "create", need)
    NEED_WORKFLOW.set_initial(need, NeedStatus.OPEN)
    for name in NEED_FIELDS:
        if name in data:
            setattr(need, name, data[name])
    if need.field_id is None:
        need.field_id = project.field_id
    if need.district_id is None:
        need.district_id = project.institution.district_id
    _check_need(need)
    need.full_clean(exclude=["project", "posted_by", "status"])
    need.save()
    record_change(actor=actor, obj=need, action=ObjectChange.Action.CREATE, before=None,
                  related=project)
    return need


@transaction.atomic
def update_need(need, *, actor, **data) -> ServiceNeed:
    """Change an open need's terms (its deadline may move, never into the past)."""
    need = ServiceNeed.objects.select_for_update().get(pk=need.pk)
    policies.require(actor, "change", need)
    if need.status != NeedStatus.OPEN:
        raise ValidationError(_("Only an open need can be changed."), code="need_not_open")
    before = snapshot(need)
    for name in NEED_FIELDS:
        if name in data:
            setattr(need, name, data[name])
    _check_need(need)
    need.full_clean(exclude=["project", "posted_by", "status"])
    need.save()
    record_change(actor=actor, obj=need, action=ObjectChange.Action.UPDATE, before=before,
                  related=need.project)
    return need


def step_need(need, target: str, *, actor, reason: str = "") -> ServiceNeed:
    """Close (found) or cancel a need; the introductions still waiting are withdrawn with it."""
    policies.require(actor, VIEW, need)
    with transaction.atomic():
        NEED_WORKFLOW.transition(need, target, actor=actor, reason=reason)
        for waiting in need.introductions.filter(status=IntroductionStatus.SENT):
            INTRODUCTION_WORKFLOW.transition(
                waiting, IntroductionStatus.WITHDRAWN, actor=actor,
                reason=reason or _("The need was closed."))
    return need


# ---------------------------------------------------------------- ranking
@dataclass
class RankedProvider:
    """One provider for a need: its best public service of the type asked, why, and how well."""

    provider: object
    service: ProviderService | None
    score: float
    reasons: list[str] = field(default_factory=list)
    introduction: Introduction | None = None

    @property
    def sentence(self) -> str:
        return pgettext("between the reasons of a match", "; ").join(self.reasons)


def _catalogue_candidates(need) -> dict[int, RankedProvider]:
    services = (ProviderService.objects.filter(
        status=ServiceStatus.PUBLISHED, service_type=need.service_type,
        provider__is_active=True, provider__kind__in=SERVICE_PROVIDER_KINDS)
        .select_related("provider", "service_type").prefetch_related("fields", "districts"))
    ranked: dict[int, RankedProvider] = {}
    for service in services:
        fields = {f.pk for f in service.fields.all()}
        districts = list(service.districts.all())
        score = 1.0
        reasons = [_("offers %(type)s in its public catalogue")
                   % {"type": service.service_type.name}]
        if need.field_id and need.field_id in fields:
            score += 0.5
            reasons.append(_("serves the %(field)s field") % {"field": need.field.name})
        if not districts:
            score += 0.2
            reasons.append(_("serves every district"))
        elif need.district_id and need.district_id in {d.pk for d in districts}:
            score += 0.3
            reasons.append(_("serves %(district)s") % {"district": need.district.name})
        if need.budget_fen is not None and not service.price_on_request:
            low = service.price_min_fen
            if low is not None and low > need.budget_fen:
                score -= 0.4
                reasons.append(_("its prices start above the budget (%(terms)s)")
                               % {"terms": service.price_text})
            else:
                score += 0.2
                reasons.append(_("its prices fit the budget (%(terms)s)")
                               % {"terms": service.price_text})
        if service.international:
            reasons.append(_("works with partners abroad"))
        best = ranked.get(service.provider_id)
        if best is None or score > best.score:
            ranked[service.provider_id] = RankedProvider(service.provider, service, score,
                                                         reasons)
    return ranked


def rank_providers(need, *, user, limit: int = 10) -> list[RankedProvider]:
    """Providers for `need`, best first, each with its reasons in the UI language, and the
    introduction already made to it, if any."""
    from tmhub.matching.services import providers_for_need

    ranked = _catalogue_candidates(need)
    text = " ".join(filter(None, [need.service_type.name_zh, need.title, need.description]))
    for match in providers_for_need(text, user=user, industry_field=need.field,
                                    district=need.district, limit=limit):
        org = match.obj
        if org.kind not in SERVICE_PROVIDER_KINDS:
            continue
        entry = ranked.get(org.pk)
        if entry is None:
            ranked[org.pk] = RankedProvider(org, None, 0.5 * match.relevance,
                                            [str(r) for r in match.reasons])
        else:
            entry.score += 0.5 * match.relevance
            terms = [str(r) for r in match.reasons[1:] if str(r) not in entry.reasons]
            entry.reasons.extend(terms)
    made = {i.provider_id: i for i in need.introductions.all()}
    result = sorted(ranked.values(), key=lambda r: (-r.score, r.provider.name_pinyin or "",
                                                    r.provider.pk))[:limit]
    for entry in result:
        entry.introduction = made.get(entry.provider.pk)
    return result


def _reasons_in_every_language(need, provider, user) -> tuple[dict, ProviderService | None]:
    texts, service = {}, None
    for key, code in UI_LANGUAGES.items():
        with translation.override(code):
            found = next((r for r in rank_providers(need, user=user, limit=50)
                          if r.provider.pk == provider.pk), None)
            texts[key] = found.sentence if found else ""
            service = service or (found.service if found else None)
    return texts, service


# ---------------------------------------------------------------- introductions
def provider_users(provider):
    from tmhub.accounts.models import User

    return list(User.objects.filter(memberships__organization=provider,
                                    memberships__role=Role.SERVICE_PROVIDER,
                                    memberships__is_active=True, is_active=True).distinct())


@transaction.atomic
def introduce(need, *, actor, provider, message: str = "") -> Introduction:
    """Introduce `provider` to an open need (who changes the need); the provider's users are
    told. A provider is introduced once per need."""
    need = ServiceNeed.objects.select_for_update().get(pk=need.pk)
    policies.require(actor, "introduce", need)
    if need.status != NeedStatus.OPEN:
        raise ValidationError(_("The need is no longer open."), code="need_not_open")
    if provider.kind not in SERVICE_PROVIDER_KINDS or not provider.is_active:
        raise ValidationError({"provider": ValidationError(
            _("Choose an active service provider."), code="not_a_provider")})
    if need.introductions.filter(provider=provider).exists():
        raise ValidationError({"provider": ValidationError(
            _("This provider has already been introduced to the need."),
            code="already_introduced")})
    reasons, service = _reasons_in_every_language(need, provider, _user(actor))
    introduction = Introduction(need=need, provider=provider, service=service,
                                reasons=reasons, message=message,
                                introduced_by=_user(actor))
    INTRODUCTION_WORKFLOW.set_initial(introduction, IntroductionStatus.SENT)
    introduction.full_clean(exclude=["need", "provider", "service", "introduced_by"])
    try:
        with transaction.atomic():
            introduction.save()
    except IntegrityError as exc:  # a second click in another tab
        raise ValidationError({"provider": ValidationError(
            _("This provider has already been introduced to the need."),
            code="already_introduced")}) from exc
    record_change(actor=actor, obj=introduction, action=ObjectChange.Action.CREATE,
                  before=None, related=need)
    notifications.notify(
        provider_users(provider), kind=notices.INTRODUCED.key, about=introduction,
        subject=gettext_lazy("A project asks for your service: %(need)s"),
        params={"need": need.title}, url=introduction.get_absolute_url())
    return introduction


def answer(introduction, target: str, *, actor, reason: str = "") -> Introduction:
    """The provider accepts or declines; the need's side withdraws. Who introduced the
    provider and who posted the need are told of the provider's answer."""
    policies.require(actor, VIEW, introduction)
    with transaction.atomic():
        INTRODUCTION_WORKFLOW.transition(introduction, target, actor=actor, reason=reason)
        if target in (IntroductionStatus.ACCEPTED, IntroductionStatus.DECLINED):
            need = introduction.need
            label = (gettext_lazy("%(provider)s accepted the introduction to %(need)s")
                     if target == IntroductionStatus.ACCEPTED else
                     gettext_lazy("%(provider)s declined the introduction to %(need)s"))
            notifications.notify(
                [introduction.introduced_by, need.posted_by], kind=notices.ANSWERED.key,
                about=introduction, subject=label,
                params={"provider": introduction.provider.name, "need": need.title},
                url=introduction.get_absolute_url())
    return introduction
