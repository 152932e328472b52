"""Every write of the districts app: checked by the policies, validated, audited in the same
transaction (issue 15 items 6–9)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.selectors import holds_role, users_with_role
from tmhub.core import policies
from tmhub.core.access import CHANGE
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.core.validators import normalize_credit_code, validate_credit_code
from tmhub.districts import notices
from tmhub.districts.choices import (
    ApplicationStatus,
    EventType,
    LandingKind,
    ParticipantKind,
    PostStatus,
)
from tmhub.districts.models import (
    CommissionerApplication,
    CommissionerPost,
    EventFollowUp,
    EventRegistration,
    Landing,
    LiaisonAgreement,
    MatchEvent,
)
from tmhub.transfer.choices import PartyRole

CREATE, UPDATE = ObjectChange.Action.CREATE, ObjectChange.Action.UPDATE


def _pick(values: dict, names) -> dict:
    return {k: v for k, v in values.items() if k in names}


def _require_create(actor, obj) -> None:
    if not policies.allows(actor, "create", obj):
        raise field_error("district", _("You may record this only for your own district."),
                          "not_your_district")


def _check_term(start, end, start_field="starts_on", end_field="ends_on"):
    if start and end and end < start:
        raise field_error(end_field, _("The term cannot end before it starts."), "term_order")


# ------------------------------------------------------------------ liaison agreements
AGREEMENT_FIELDS = {"district_contact", "district_phone", "institution_contact",
                    "institution_phone", "scope", "scope_en", "starts_on", "ends_on"}


@transaction.atomic
def create_agreement(*, actor, district, institution, **values) -> LiaisonAgreement:
    """Record a liaison agreement between `district` and `institution`'s transfer office."""
    agreement = LiaisonAgreement(district=district, institution=institution,
                                 created_by=actor_user(actor), **_pick(values, AGREEMENT_FIELDS))
    _require_create(actor, agreement)
    _check_term(agreement.starts_on, agreement.ends_on)
    agreement.full_clean()
    agreement.save()
    record_change(actor=actor, obj=agreement, action=CREATE, before=None)
    return agreement


@transaction.atomic
def renew_agreement(agreement, *, actor, ends_on, scope=None) -> LiaisonAgreement:
    """A renewal: a new agreement from the day after the old one ends (or today, when it has
    already ended) to `ends_on`, pointing at the one it renews."""
    agreement = LiaisonAgreement.objects.select_for_update().get(pk=agreement.pk)
    policies.require(actor, "renew", agreement)
    starts_on = max(agreement.ends_on + datetime.timedelta(days=1), timezone.localdate())
    if ends_on is None or ends_on <= starts_on:
        raise field_error("ends_on", _("A renewal must end after %(day)s.")
                          % {"day": starts_on.isoformat()}, "renewal_term")
    renewal = LiaisonAgreement(
        district=agreement.district, institution=agreement.institution,
        district_contact=agreement.district_contact, district_phone=agreement.district_phone,
        institution_contact=agreement.institution_contact,
        institution_phone=agreement.institution_phone,
        scope=scope or agreement.scope, scope_en=agreement.scope_en if not scope else "",
        starts_on=starts_on, ends_on=ends_on, renews=agreement, created_by=actor_user(actor))
    renewal.full_clean()
    renewal.save()
    record_change(actor=actor, obj=renewal, action=CREATE, before=None, related=agreement)
    return renewal


# ------------------------------------------------------------------ commissioner posts
POST_FIELDS = {"title", "title_en", "park", "time_basis", "duties", "applications_close_on"}


@transaction.atomic
def create_post(*, actor, district, **values) -> CommissionerPost:
    """A commissioner post in a park or base, as a draft until its vacancy is published."""
    post = CommissionerPost(district=district, created_by=actor_user(actor),
                            status=PostStatus.DRAFT, **_pick(values, POST_FIELDS))
    _require_create(actor, post)
    post.full_clean()
    post.save()
    record_change(actor=actor, obj=post, action=CREATE, before=None)
    return post


@transaction.atomic
def publish_vacancy(post, *, actor) -> CommissionerPost:
    """Publish the vacancy: registered managers may apply from now on."""
    post = CommissionerPost.objects.select_for_update().get(pk=post.pk)
    policies.require(actor, "publish", post)
    if post.applications_close_on and post.applications_close_on < timezone.localdate():
        raise field_error("applications_close_on",
                          _("Applications would already be closed: choose a later date."),
                          "closes_in_past")
    before = snapshot(post)
    post.status = PostStatus.OPEN
    post.save(update_fields=["status", "updated_at"])
    record_change(actor=actor, obj=post, action=UPDATE, before=before)
    record_event(actor=actor, obj=post, event_type=EventType.VACANCY_PUBLISHED,
                 from_state=PostStatus.DRAFT, to_state=PostStatus.OPEN)
    return post


@transaction.atomic
def apply_for_post(post, *, actor, statement) -> CommissionerApplication:
    """A registered manager applies for a published vacancy (once per post)."""
    post = CommissionerPost.objects.select_for_update().get(pk=post.pk)
    if not holds_role(actor_user(actor), Role.MANAGER):
        raise field_error("statement", _("Only registered technology managers may apply."),
                          "not_a_manager")
    policies.require(actor, "apply", post)
    if post.applications_close_on and post.applications_close_on < timezone.localdate():
        raise field_error("statement", _("Applications for this post have closed."),
                          "applications_closed")
    application = CommissionerApplication(post=post, applicant=actor_user(actor),
                                          statement=statement)
    application.full_clean()
    application.save()
    record_change(actor=actor, obj=application, action=CREATE, before=None, related=post)
    notify(users_with_role(Role.DISTRICT_OFFICER, district=post.district_id),
           kind=notices.APPLICATION.key, about=application, url=post.get_absolute_url(),
           subject=gettext_lazy("New application for the commissioner post %(post)s"),
           params={"post": str(post)})
    return application


@transaction.atomic
def appoint(application, *, actor, term_start, term_end) -> CommissionerPost:
    """Appoint the applicant to the post for a term; the other applications are closed as not
    appointed, and everyone who applied is told."""
    post = CommissionerPost.objects.select_for_update().get(pk=application.post_id)
    application = CommissionerApplication.objects.select_for_update().get(pk=application.pk)
    policies.require(actor, "appoint", post)
    if application.status != ApplicationStatus.SUBMITTED:
        raise field_error("application", _("This application has already been decided."),
                          "already_decided")
    if not holds_role(application.applicant, Role.MANAGER):
        raise field_error("application", _("The applicant is no longer a registered "
                                           "technology manager."), "not_a_manager")
    if term_start is None or term_end is None:
        raise field_error("term_end", _("Give the term's first and last day."), "term_missing")
    _check_term(term_start, term_end, "term_start", "term_end")
    before = snapshot(post)
    post.status, post.holder = PostStatus.FILLED, application.applicant
    post.term_start, post.term_end = term_start, term_end
    post.full_clean()
    post.save()
    record_change(actor=actor, obj=post, action=UPDATE, before=before)
    record_event(actor=actor, obj=post, event_type=EventType.COMMISSIONER_APPOINTED,
                 from_state=PostStatus.OPEN, to_state=PostStatus.FILLED,
                 data={"holder": application.applicant_id})
    now = timezone.now()
    for other in post.applications.select_for_update().filter(
            status=ApplicationStatus.SUBMITTED):
        before = snapshot(other)
        other.status = (ApplicationStatus.APPOINTED if other.pk == application.pk
                        else ApplicationStatus.DECLINED)
        other.decided_at = now
        other.save(update_fields=["status", "decided_at", "updated_at"])
        record_change(actor=actor, obj=other, action=UPDATE, before=before, related=post)
        notify([other.applicant], kind=notices.DECISION.key, about=other,
               url=post.get_absolute_url(),
               subject=(gettext_lazy("You are appointed commissioner: %(post)s")
                        if other.pk == application.pk else
                        gettext_lazy("Another applicant was appointed: %(post)s")),
               params={"post": str(post)})
    return post


# ------------------------------------------------------------------ events
EVENT_FIELDS = {"title", "title_en", "kind", "organiser", "held_on", "place", "online",
                "field", "capacity", "description", "is_published"}


@transaction.atomic
def create_event(*, actor, district, **values) -> MatchEvent:
    event = MatchEvent(district=district, created_by=actor_user(actor),
                       **_pick(values, EVENT_FIELDS))
    _require_create(actor, event)
    if not event.online and not event.place:
        raise field_error("place", _("Give the venue, or mark the event as online."),
                          "venue_missing")
    event.full_clean()
    event.save()
    record_change(actor=actor, obj=event, action=CREATE, before=None)
    return event


@transaction.atomic
def register_for_event(event, *, actor, participant_kind, organization=None
                       ) -> EventRegistration:
    """Register the actor (for their enterprise or institution, or as a manager) while places
    remain; the event row is locked so two last registrations cannot both take the last
    place."""
    event = MatchEvent.objects.select_for_update().get(pk=event.pk)
    policies.require(actor, "register", event)
    user = actor_user(actor)
    wanted_role = {ParticipantKind.ENTERPRISE: Role.ENTERPRISE,
                   ParticipantKind.INSTITUTION: Role.INSTITUTION_ADMIN,
                   ParticipantKind.MANAGER: Role.MANAGER}.get(participant_kind)
    if wanted_role is None or not holds_role(user, wanted_role):
        raise field_error("participant_kind",
                          _("Your account cannot register in this capacity."), "wrong_capacity")
    if participant_kind != ParticipantKind.MANAGER:
        if organization is None or not holds_role(user, wanted_role, organization=organization):
            raise field_error("organization", _("Choose an organisation you belong to."),
                              "not_your_organization")
    if event.registrations.count() >= event.capacity:
        raise field_error("participant_kind", _("This event is full."), "event_full")
    registration = EventRegistration(event=event, person=user, organization=organization,
                                     participant_kind=participant_kind)
    registration.full_clean()
    registration.save()
    record_change(actor=actor, obj=registration, action=CREATE, before=None, related=event)
    return registration


@transaction.atomic
def record_attendance(event, *, actor, attended_ids) -> int:
    """Mark who attended (the others as absent); only once the event has taken place."""
    event = MatchEvent.objects.select_for_update().get(pk=event.pk)
    policies.require(actor, "manage", event)
    if event.held_on > timezone.localdate():
        raise field_error("attended", _("Attendance is recorded after the event."),
                          "not_yet_held")
    attended_ids = {int(i) for i in attended_ids}
    changed = 0
    for registration in event.registrations.select_for_update():
        now_attended = registration.pk in attended_ids
        if registration.attended == now_attended:
            continue
        before = snapshot(registration)
        registration.attended = now_attended
        registration.save(update_fields=["attended", "updated_at"])
        record_change(actor=actor, obj=registration, action=UPDATE, before=before,
                      related=event)
        changed += 1
    return changed


@transaction.atomic
def record_follow_up(event, *, actor, first, second, note) -> EventFollowUp:
    """An introduction made at the event between two of its attendees, with what they agreed
    next; recorded by the organising district once the event has taken place."""
    event = MatchEvent.objects.select_for_update().get(pk=event.pk)
    policies.require(actor, "manage", event)
    if event.held_on > timezone.localdate():
        raise field_error("note", _("Follow-ups are recorded after the event."),
                          "not_yet_held")
    # Read the registrations afresh: attendance is the event's record, not the caller's copy.
    attendees = {r.pk: r for r in event.registrations.filter(
        pk__in=[getattr(first, "pk", None), getattr(second, "pk", None)])}
    first, second = attendees.get(getattr(first, "pk", None)), attendees.get(
        getattr(second, "pk", None))
    for name, registration in (("first", first), ("second", second)):
        if registration is None:
            raise field_error(name, _("Choose a participant of this event."),
                              "not_a_participant")
        if not registration.attended:
            raise field_error(name, _("Only attendees can have been introduced at the "
                                      "event."), "not_attended")
    if first.pk == second.pk:
        raise field_error("second", _("An introduction is between two different people."),
                          "same_person")
    note = (note or "").strip()
    if not note:
        raise field_error("note", _("Say what the two agreed to do next."), "note_missing")
    follow_up = EventFollowUp(event=event, first=first, second=second, note=note,
                              recorded_by=actor_user(actor))
    follow_up.full_clean()
    follow_up.save()
    record_change(actor=actor, obj=follow_up, action=CREATE, before=None, related=event)
    return follow_up


# ------------------------------------------------------------------ landings
LANDING_FIELDS = {"title", "occurred_on", "company_name", "credit_code", "note"}


def contract_in_district(contract, district) -> bool:
    """A contract lands in a district when its transferee (a buyer party) is there, or, with
    no transferee recorded, when the institution is."""
    buyers = [p.organization for p in contract.parties.select_related("organization")
              if p.role == PartyRole.BUYER]
    if buyers:
        return any(b.district_id == district.pk for b in buyers)
    return contract.institution.district_id == district.pk


def _check_financing(landing: Landing, actor) -> None:
    """An investment is a financing round of the network's records: one the recorder may
    read, approved by a second person and not reversed, of a project or company in the
    district, landed once. Its investor and amount are the round's (never typed twice)."""
    from tmhub.network.models import Financing

    financing = landing.financing
    if financing is None:
        raise field_error("financing", _("Choose the financing round that was made."),
                          "financing_missing")
    if not Financing.objects.restrict(actor).filter(pk=financing.pk).exists():
        raise field_error("financing", _("No such financing round."), "financing_unknown")
    if not Financing.objects.effective().filter(pk=financing.pk).exists():
        raise field_error("financing", _("Only an approved financing round that has not been "
                                         "reversed counts as an investment."),
                          "financing_not_effective")
    if financing.district_id != landing.district_id:
        raise field_error("financing", _("This financing round was made in another district: "
                                         "it did not land here."), "financing_other_district")
    if Landing.objects.filter(financing=financing).exists():
        raise field_error("financing", _("This financing round is already recorded as a "
                                         "landing."), "financing_landed")
    landing.investor = financing.investor_label[:200]
    landing.amount_fen = financing.amount_fen
    landing.occurred_on = financing.financed_on
    if landing.project is None:
        landing.project = financing.project


def _check_landing(landing: Landing, actor=None) -> None:
    if landing.kind == LandingKind.COMPANY:
        if not landing.company_name:
            raise field_error("company_name", _("Give the company's name."), "company_missing")
        landing.credit_code = normalize_credit_code(landing.credit_code)
        try:
            validate_credit_code(landing.credit_code)
        except Exception as exc:
            raise field_error("credit_code", exc.messages[0], "credit_code") from exc
        landing.contract, landing.investor, landing.amount_fen = None, "", 0
        landing.financing = None
    elif landing.kind == LandingKind.CONTRACT:
        if landing.contract is None:
            raise field_error("contract", _("Choose the contract that was signed."),
                              "contract_missing")
        if not contract_in_district(landing.contract, landing.district):
            raise field_error("contract", _("This contract's transferee is in another "
                                            "district: it did not land here."),
                              "contract_other_district")
        landing.amount_fen = landing.contract.amount_fen
        if landing.project is None:
            landing.project = landing.contract.project
        if Landing.objects.filter(kind=LandingKind.CONTRACT, contract=landing.contract,
                                  district=landing.district).exists():
            raise field_error("contract", _("This contract is already recorded as a landing."),
                              "contract_landed")
        landing.financing = None
    elif landing.kind == LandingKind.INVESTMENT:
        _check_financing(landing, actor)
        landing.contract = None
    if landing.event is not None and landing.event.district_id != landing.district_id:
        raise field_error("event", _("The event was held in another district."),
                          "event_other_district")


@transaction.atomic
def record_landing(*, actor, district, kind, contract=None, project=None, event=None,
                   financing=None, managers=(), **values) -> Landing:
    """Record what landed in `district`: a company founded (credit code checked), a contract
    signed with a transferee in the district, or an investment made (an approved financing
    round of the district); attributed to the project and the managers."""
    landing = Landing(district=district, kind=kind, contract=contract, project=project,
                      event=event, financing=financing, recorded_by=actor_user(actor),
                      **_pick(values, LANDING_FIELDS))
    _require_create(actor, landing)
    _check_landing(landing, actor)
    managers = list(managers)
    for manager in managers:
        if not holds_role(manager, Role.MANAGER):
            raise field_error("managers", _("Only technology managers (users with a manager "
                                            "role) can be credited."), "not_a_manager")
    landing.full_clean()
    landing.save()
    landing.managers.set(managers)
    record_change(actor=actor, obj=landing, action=CREATE, before=None)
    return landing


def may_change(actor, obj) -> bool:
    return policies.allows(actor, CHANGE, obj)
