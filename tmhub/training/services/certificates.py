"""Certificates: issued on completion with a unique number; revoked with a reason by two people
(one asks, another approves: REVOCATION_WORKFLOW's four-eyes rule)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.selectors import users_with_role
from tmhub.core import policies
from tmhub.core.access import VIEW
from tmhub.core.actors import actor_user
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.core.sequences import next_value
from tmhub.training.choices import (
    LEVEL_LETTER,
    LEVEL_ORDER,
    CertificateStatus,
    RevocationStatus,
    TrainingEvent,
)
from tmhub.training.dashboard.cache import changed as dashboard_changed
from tmhub.training.dashboard.figures import tracked, watch
from tmhub.training.models import Certificate, CertificateRevocation, TrainedManager
from tmhub.training.workflows import REVOCATION_WORKFLOW

# No 0/O, 1/I/L: the suffix is read aloud and typed from paper.
SUFFIX_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PREFIX = "BJTM"


def make_number(year: int, level: str, serial: int, suffix: str | None = None) -> str:
    """BJTM-2025-J00042-K7Q2: year, level letter and serial, then a random suffix so that
    numbers cannot be enumerated from the public verification page."""
    suffix = suffix or "".join(secrets.choice(SUFFIX_ALPHABET) for _ in range(4))
    return f"{PREFIX}-{year}-{LEVEL_LETTER[level]}{serial:05d}-{suffix}"


def normalise_number(text: str) -> str:
    return (text or "").strip().upper()


def find_by_number(text: str):
    """The certificate with this number, or None. A number no certificate carries (longer than
    the column, a slash, a control character: PostgreSQL refuses NUL in text) is unknown
    without asking the database."""
    number = normalise_number(text)
    if not number or len(number) > 40 or "/" in number or not number.isprintable():
        return None
    return (Certificate.objects.select_related("enrolment__cohort__programme__provider")
            .filter(number=number).first())


def holder_name(user) -> str:
    """The name printed on the certificate: the talent profile's full name when there is one."""
    profile = getattr(user, "manager_profile", None)  # missing profile: AttributeError
    if profile is not None and profile.full_name:
        return profile.full_name
    return user.get_full_name() or user.display_name or user.username


def refresh_trained_manager(trainee_id) -> None:
    """Recompute the manager's summary row from their valid certificates (caller's
    transaction); no valid certificate left means the row goes."""
    dashboard_changed()
    watch([trainee_id])  # also serialises writers of this manager (row lock)
    valid = list(Certificate.objects.filter(trainee_id=trainee_id,
                                            status=CertificateStatus.VALID).order_by("issued_at"))
    if not valid:
        TrainedManager.objects.filter(trainee_id=trainee_id).delete()
        return
    highest = max(valid, key=lambda c: LEVEL_ORDER[c.level])
    TrainedManager.objects.update_or_create(trainee_id=trainee_id, defaults={
        "organization_id": valid[-1].organization_id, "first_certified_at": valid[0].issued_at,
        "highest_level": highest.level, "valid_certificates": len(valid),
    })


@transaction.atomic
@tracked
def issue_certificate(enrolment, *, actor) -> Certificate:
    """Issue the certificate of a completed enrolment (once): an effect of the completion step
    (tmhub/training/workflows.py), which the platform takes."""
    policies.require(actor, "issue_certificate", enrolment)
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing:
        return existing
    level = enrolment.cohort.programme.level
    now = timezone.now()
    year = timezone.localtime(now).year
    serial = next_value(f"training-certificate-{year}")
    certificate = Certificate.objects.create(
        number=make_number(year, level, serial), enrolment=enrolment,
        trainee=enrolment.trainee, organization=enrolment.organization,
        holder_name=holder_name(enrolment.trainee), level=level,
        hours=enrolment.hours_attended, issued_at=now,
    )
    record_change(actor=actor, obj=certificate, action=ObjectChange.Action.CREATE, before=None)
    refresh_trained_manager(certificate.trainee_id)
    record_event(actor=actor, obj=certificate, event_type=TrainingEvent.CERTIFICATE_ISSUED,
                 to_state=CertificateStatus.VALID, data={"enrolment": enrolment.pk})
    notify([enrolment.trainee], kind="training.certificate", about=certificate,
           subject=gettext_lazy("Your training certificate %(number)s was issued"),
           params={"number": certificate.number}, url=certificate.get_absolute_url())
    return certificate


def _revokers(certificate):
    """Who may decide a revocation of `certificate`: the provider's administrators and the
    city (notified when one of them asks)."""
    provider = certificate.enrolment.cohort.programme.provider
    people = list(users_with_role(Role.MUNICIPAL_ADMIN))
    if provider.organization_id:
        people += users_with_role(Role.INSTITUTION_ADMIN, organization=provider.organization)
    return people


@transaction.atomic
def request_revocation(certificate, *, actor, reason: str) -> CertificateRevocation:
    """Ask for a certificate to be revoked, with the reason. The certificate stays valid until
    a second administrator approves (`decide_revocation`); the others who may decide are told."""
    certificate = Certificate.objects.select_for_update().select_related(
        "enrolment__cohort__programme__provider").get(pk=certificate.pk)
    if not policies.allows(actor, "revoke", certificate):
        if not certificate.is_valid:
            raise ValidationError(_("This certificate is already revoked."),
                                  code="already_revoked")
        raise ValidationError(_("You are not allowed to revoke this certificate."),
                              code="forbidden")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("A reason is required for this step.")},
                              code="reason_required")
    if certificate.revocations.filter(status=RevocationStatus.REQUESTED).exists():
        raise ValidationError(
            _("A revocation of this certificate already awaits approval."),
            code="revocation_pending",
        )
    revocation = CertificateRevocation(certificate=certificate, reason=reason.strip(),
                                       requested_by=actor_user(actor))
    REVOCATION_WORKFLOW.set_initial(revocation, RevocationStatus.REQUESTED)
    revocation.full_clean(exclude=["requested_by"])
    revocation.save()
    record_change(actor=actor, obj=revocation, action=ObjectChange.Action.CREATE, before=None,
                  related=certificate)
    record_event(actor=actor, obj=revocation, event_type=TrainingEvent.REVOCATION_REQUESTED,
                 to_state=RevocationStatus.REQUESTED, reason=revocation.reason,
                 related=certificate)
    me = getattr(actor_user(actor), "pk", None)
    notify([u for u in _revokers(certificate) if u.pk != me], kind="training.revocation",
           about=revocation,
           subject=gettext_lazy("Revocation of certificate %(number)s awaits your approval"),
           params={"number": certificate.number}, body=revocation.reason,
           url=certificate.get_absolute_url())
    return revocation


def open_revocation(certificate) -> CertificateRevocation | None:
    return certificate.revocations.filter(status=RevocationStatus.REQUESTED).first()


@transaction.atomic
@tracked
def decide_revocation(revocation, target: str, *, actor, reason: str = "") -> Certificate:
    """Approve (the certificate is revoked) or decline (with a reason) a revocation request:
    a step of REVOCATION_WORKFLOW, which refuses the person who asked (four eyes)."""
    revocation = CertificateRevocation.objects.select_for_update().select_related(
        "certificate__enrolment__cohort__programme__provider").get(pk=revocation.pk)
    if not policies.allows(actor, VIEW, revocation):
        raise ValidationError(_("You are not allowed to revoke this certificate."),
                              code="forbidden")
    REVOCATION_WORKFLOW.transition(revocation, target, actor=actor, reason=reason, locked=True,
                                   data={"requested_by": revocation.requested_by_id})
    certificate = revocation.certificate
    if target == RevocationStatus.DECLINED and revocation.requested_by:
        notify([revocation.requested_by], kind="training.revocation", about=revocation,
               subject=gettext_lazy("Revocation of certificate %(number)s was declined"),
               params={"number": certificate.number}, body=reason,
               url=certificate.get_absolute_url())
    return certificate


def apply_revocation(revocation, *, actor) -> None:
    """Approval's effect (inside the step's transaction): revoke the certificate with the
    request's reason; the public page then says "revoked" (never why)."""
    certificate = Certificate.objects.select_for_update().get(pk=revocation.certificate_id)
    if not certificate.is_valid:
        raise ValidationError(_("This certificate is already revoked."), code="already_revoked")
    before = snapshot(certificate)
    certificate.status = CertificateStatus.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor_user(actor)
    certificate.revocation_reason = revocation.reason
    certificate.save()
    record_change(actor=actor, obj=certificate, action=ObjectChange.Action.UPDATE, before=before)
    refresh_trained_manager(certificate.trainee_id)
    record_event(actor=actor, obj=certificate, event_type=TrainingEvent.CERTIFICATE_REVOKED,
                 from_state=CertificateStatus.VALID, to_state=CertificateStatus.REVOKED,
                 reason=revocation.reason,
                 data={"requested_by": revocation.requested_by_id, "revocation": revocation.pk})
    revocation.certificate = certificate
    notify([certificate.trainee], kind="training.certificate", about=certificate,
           subject=gettext_lazy("Your training certificate %(number)s was revoked"),
           params={"number": certificate.number}, body=revocation.reason,
           url=certificate.get_absolute_url())
