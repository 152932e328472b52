"""A manager's training level, derived from certificates (never self-declared).

The level on the profile (`ManagerProfile.training_level`, what the directory filters on and
shows as a badge) is the highest level of

- a valid certificate issued on the platform (the training app's `Certificate`), or
- an external certificate recorded here with its evidence and verified by a municipal
  administrator (`ExternalCertificate`, `CREDENTIAL_WORKFLOW`).

`recompute_training_level` is the one writer of that field: it runs when a certificate is
issued, revoked or verified — for the platform's certificates as a subscriber of the training
app's events (`subscriptions.py`), so training never writes the talent profile — and records
the change with the platform as the actor. A level once typed into a profile without evidence
stays as `claimed_training_level` ("unverified claim"), shown only to the manager and
administrators, until a certificate of that level or higher backs it.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.actors import SYSTEM, actor_user
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.validators import validate_dates, validate_happened_date
from tmhub.core.workflow import Transition, Workflow
from tmhub.talent.choices import TrainingLevel
from tmhub.talent.credentials import CredentialEvent, CredentialStatus, ExternalCertificate
from tmhub.talent.models import ManagerProfile

LEVEL_RANK = {TrainingLevel.JUNIOR: 1, TrainingLevel.INTERMEDIATE: 2, TrainingLevel.SENIOR: 3}

CREDENTIAL_WORKFLOW = Workflow([
    Transition(CredentialStatus.PENDING, CredentialStatus.VERIFIED,
               lambda scope, cert: policies.allows(scope, "verify", cert),
               CredentialEvent.VERIFIED, label=gettext_lazy("Verify"), style="success",
               asks_reason=True,
               confirm=gettext_lazy("The evidence has been checked against the issuer's "
                                    "records: the manager's level will follow this "
                                    "certificate.")),
    Transition(CredentialStatus.PENDING, CredentialStatus.REJECTED,
               lambda scope, cert: policies.allows(scope, "verify", cert),
               CredentialEvent.REJECTED, label=gettext_lazy("Reject"), style="danger",
               needs_reason=True),
])


def highest(levels) -> str:
    """The highest of `levels` ("" for none)."""
    ranked = [level for level in levels if level in LEVEL_RANK]
    return max(ranked, key=LEVEL_RANK.__getitem__, default="")


def _platform_levels(user_id) -> list[str]:
    if not apps.is_installed("tmhub.training"):
        return []
    from tmhub.training.choices import CertificateStatus
    from tmhub.training.models import Certificate

    return list(Certificate.objects.filter(trainee_id=user_id, status=CertificateStatus.VALID)
                .values_list("level", flat=True))


def verified_level(profile: ManagerProfile) -> str:
    """The level the records back: valid platform certificates and verified external ones."""
    external = profile.external_certificates.filter(
        status=CredentialStatus.VERIFIED).values_list("level", flat=True)
    return highest([*_platform_levels(profile.user_id), *external])


@transaction.atomic
def recompute_training_level(profile_or_user_id, *, actor=SYSTEM) -> bool:
    """Set the profile's level to what the certificates back (upwards or downwards); a claim
    the level now reaches is settled. True when something changed. No profile: nothing."""
    query = ManagerProfile.objects.select_for_update()
    if isinstance(profile_or_user_id, ManagerProfile):
        profile = query.filter(pk=profile_or_user_id.pk).first()
    else:
        profile = query.filter(user_id=profile_or_user_id).first()
    if profile is None:
        return False
    level = verified_level(profile)
    claim = profile.claimed_training_level
    if claim and LEVEL_RANK.get(level, 0) >= LEVEL_RANK.get(claim, 0):
        claim = ""
    if level == profile.training_level and claim == profile.claimed_training_level:
        return False
    before = snapshot(profile)
    # Two columns only: an incomplete profile must not stop a certificate from counting.
    ManagerProfile.objects.filter(pk=profile.pk).update(
        training_level=level, claimed_training_level=claim)
    profile.training_level, profile.claimed_training_level = level, claim
    record_change(actor=actor, obj=profile, action=ObjectChange.Action.UPDATE, before=before)
    return True


# ---------------------------------------------------------------- external certificates
@transaction.atomic
def record_external_certificate(*, actor, profile: ManagerProfile, issuer: str, level: str,
                                number: str, issued_on, evidence) -> ExternalCertificate:
    """Record a certificate from another issuer with its evidence; it waits for the city."""
    from tmhub.talent.documents import check_upload

    policies.require(actor, "record_certificate", profile)
    issuer, number = (issuer or "").strip(), (number or "").strip()
    values = {"issuer": issuer, "number": number, "level": level, "issued_on": issued_on,
              "evidence": evidence}
    missing = {
        "issuer": _("Enter the issuing organisation."),
        "number": _("Enter the certificate number."),
        "issued_on": _("Enter the date of issue."),
        "evidence": _("Attach a scan of the certificate as evidence."),
    }
    errors = {name: [ValidationError(message, code="required")]
              for name, message in missing.items() if not values[name]}
    if level not in LEVEL_RANK:
        errors["level"] = [ValidationError(_("Choose a training level."), code="invalid_choice")]
    if errors:
        raise ValidationError(errors)
    validate_dates(values, issued_on=validate_happened_date)
    check_upload(evidence, field="evidence")
    if ExternalCertificate.objects.filter(issuer=issuer, number=number).exists():
        raise field_error("number", _("This certificate number of this issuer is already "
                                      "recorded."), "duplicate")
    certificate = ExternalCertificate(
        profile=profile, issuer=issuer, level=level, number=number, issued_on=issued_on,
        evidence=evidence, recorded_by=actor_user(actor))
    CREDENTIAL_WORKFLOW.set_initial(certificate, CredentialStatus.PENDING)
    certificate.save()
    record_change(actor=actor, obj=certificate, action=ObjectChange.Action.CREATE, before=None,
                  related=profile)
    record_event(actor=actor, obj=certificate, event_type=CredentialEvent.RECORDED,
                 to_state=CredentialStatus.PENDING, related=profile)
    return certificate


@transaction.atomic
def decide_external_certificate(certificate: ExternalCertificate, target: str, *, actor,
                                reason: str = "") -> ExternalCertificate:
    """Verify or reject (with a reason); the manager's level follows a verification."""
    certificate = ExternalCertificate.objects.select_for_update().get(pk=certificate.pk)
    policies.require(actor, "view", certificate)
    before = snapshot(certificate)
    certificate.verified_by = actor_user(actor)
    certificate.verified_at = timezone.now()
    certificate.decision_note = (reason or "").strip()
    CREDENTIAL_WORKFLOW.transition(certificate, target, actor=actor, reason=reason, locked=True)
    record_change(actor=actor, obj=certificate, action=ObjectChange.Action.UPDATE,
                  before=before, related=certificate.profile)
    recompute_training_level(certificate.profile, actor=actor)
    return certificate
