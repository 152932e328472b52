"""Every write to manager profiles (audited, atomic), and the audited ID-number reveal.

Each write asks the profile's policy (`policies.py`) first and records exactly one
ObjectChange after its many-to-many sets, so the change's `changed` fields (and the
ObjectChanged event that other apps subscribe to) include industry fields and competences.
Registration transitions live in `registration.py`, annual filing in `filing.py`.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.actors import is_system
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.validators import validate_resident_id
from tmhub.talent import protection
from tmhub.talent.choices import IdentityType, RegistrationEvent
from tmhub.talent.models import ManagerProfile
from tmhub.talent.search import index_tokens

PROFILE_FIELDS = [
    "full_name", "name_en", "identity_type", "nationality", "employer", "employment_type",
    "work_district", "position", "degree", "school", "major", "discipline", "languages",
    "professional_title", "entry_route", "years_experience", "bio", "photo",
    "phone", "email",
]
# The training level is not typed in: it follows the certificates (levels.py). A level given
# when a profile is created (an import, an older form) is kept as an unverified claim.
CLAIM_ALIASES = ("claimed_training_level", "training_level")
# Who the person is: frozen once a registration has left the applicant's hands.
IDENTITY_FIELDS = ("full_name", "identity_type", "nationality", "id_number")
PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,20}$")
security_log = logging.getLogger("tmhub.security")


def clean_identity(identity_type: str, id_number: str, nationality: str = "") -> str:
    """Validated, compact ID number; raises a field error on `id_number`."""
    compact = "".join((id_number or "").split()).upper()
    if not compact:
        raise field_error("id_number", _("The ID number is required."), "required")
    if identity_type == IdentityType.PASSPORT:
        if not PASSPORT_RE.match(compact):
            raise field_error("id_number", _("A passport number has 5 to 20 letters and "
                                              "digits."), "passport_format")
        if not (nationality or "").strip():
            raise field_error("nationality", _("The nationality is required with a "
                                                "passport."), "required")
        return compact
    try:
        validate_resident_id(compact)
    except ValidationError as exc:
        raise field_error("id_number", exc.messages[0], exc.code) from exc
    return compact


def _duplicate_error() -> ValidationError:
    return field_error(
        "id_number",
        _("A technology manager with this ID number is already in the talent pool. One person "
          "can hold only one profile; if this is you, ask your institution or the municipal "
          "administrator for help."),
        "duplicate_person",
    )


def _duplicates_key(actor) -> str:
    return f"talent:id-duplicates:{actor.pk}:{timezone.localdate().isoformat()}"


def _not_limited(actor, profile) -> bool:
    """The platform itself and the city may enter any number of ID numbers."""
    return is_system(actor) or policies.allows(actor, "probe_whole_pool", profile)


def _guard_id_probing(actor, profile) -> None:
    """A person must learn that their own ID number is already in the pool, but the answer
    must not become an oracle for other people's numbers: after TALENT_ID_DUPLICATES_PER_DAY
    refusals an actor (other than the city) may enter no ID number at all for the rest of the
    day — duplicate or not, so the refusal itself tells nothing."""
    if _not_limited(actor, profile):
        return
    if cache.get(_duplicates_key(actor), 0) >= settings.TALENT_ID_DUPLICATES_PER_DAY:
        security_log.warning("ID-number entry refused for user %s: too many duplicates today",
                             actor.pk)
        raise field_error(
            "id_number",
            _("Too many ID numbers were refused for this account today. Try again tomorrow or "
              "ask the municipal administrator for help."),
            "too_many_attempts",
        )


def _count_duplicate(actor, profile) -> None:
    """Counted outside the transaction (the cache), since the refusal rolls it back."""
    if _not_limited(actor, profile):
        return
    key = _duplicates_key(actor)
    cache.add(key, 0, timeout=24 * 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=24 * 3600)
        count = 1
    security_log.warning("Duplicate ID number refused for user %s (%d today)", actor.pk, count)


def id_number_taken(canonical: str, *, exclude_pk=None) -> bool:
    """True when another profile holds this number (under any key's fingerprint: rows not yet
    rotated carry an older one)."""
    holders = ManagerProfile.objects.filter(id_number_digest__in=protection.digests(canonical))
    return holders.exclude(pk=exclude_pk).exists() if exclude_pk else holders.exists()


def _set_identity(profile: ManagerProfile, id_number: str, *, actor) -> None:
    _guard_id_probing(actor, profile)
    number = clean_identity(profile.identity_type, id_number, profile.nationality)
    canonical = protection.normalize_id(profile.identity_type, number, profile.nationality)
    if id_number_taken(canonical, exclude_pk=profile.pk):
        _count_duplicate(actor, profile)
        raise _duplicate_error()
    profile.id_number_encrypted = protection.encrypt(number)
    profile.id_number_digest = protection.digest(canonical)
    profile.id_number_masked = protection.mask(number)


def search_text_for(profile: ManagerProfile) -> str:
    """The jieba-segmented tokens the directory searches (see search.py)."""
    fields = list(profile.fields.all()) if profile.pk else []
    competences = list(profile.competences.all()) if profile.pk else []
    texts = [profile.bio, profile.position, profile.school, profile.major, profile.name_en]
    for item in fields + competences:
        texts += [item.name_zh, item.name_en, item.code]
    if profile.employer_id:
        texts += [profile.employer.name, profile.employer.name_en]
    if profile.discipline_id:
        texts += [profile.discipline.name_zh, profile.discipline.name_en]
    if profile.work_district_id:
        texts += [profile.work_district.name_zh, profile.work_district.name_en]
    if profile.registry_number:
        texts.append(profile.registry_number)
    return " ".join(index_tokens(*texts, person_names=(profile.full_name,)))


def refresh_search_text(profile: ManagerProfile) -> None:
    profile.search_text = search_text_for(profile)
    ManagerProfile.objects.filter(pk=profile.pk).update(search_text=profile.search_text)


@transaction.atomic
def set_listing(profile: ManagerProfile, *, actor, listed: bool, registry_number: str = "",
                registration=None) -> ManagerProfile:
    """Make the profile follow its registration: listed in the directory or not, with the
    registry number once one is issued. Called by the registration workflow's effects (the
    step's permission is checked there); audited like any profile edit, as belonging with the
    registration."""
    profile = ManagerProfile.objects.select_for_update().get(pk=profile.pk)
    before = snapshot(profile)
    profile.is_listed = listed
    if registry_number:
        profile.registry_number = registry_number
        profile.registered_at = profile.registered_at or timezone.now()
    profile.save(update_fields=["is_listed", "registry_number", "registered_at", "updated_at"])
    refresh_search_text(profile)
    record_change(actor=actor, obj=profile, action=ObjectChange.Action.UPDATE, before=before,
                  related=registration)
    return profile


def _save(profile: ManagerProfile) -> None:
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError as exc:
        # Two people racing to enter the same ID: the unique index decides.
        if "digest" in str(exc) or "UNIQUE" in str(exc).upper():
            raise _duplicate_error() from exc
        raise


@transaction.atomic
def create_profile(*, actor, user, id_number: str = "", competences=(), fields=(),
                   **values) -> ManagerProfile:
    """Create the manager profile of `user` (one per user), validating the ID check digit.

    Allowed for oneself, for a person of one's institution, and for the city (the policy's
    `create`); anyone else is refused as if the page did not exist."""
    claim = next((values[k] for k in CLAIM_ALIASES if values.get(k)), "")
    profile = ManagerProfile(user=user, claimed_training_level=claim,
                             **{k: v for k, v in values.items() if k in PROFILE_FIELDS})
    policies.require(actor, "create", profile)
    if ManagerProfile.objects.filter(user=user).exists():
        raise ValidationError(_("This user already has a technology-manager profile."),
                              code="profile_exists")
    if not profile.full_name:
        profile.full_name = user.display_name or user.username
    if id_number:
        _set_identity(profile, id_number, actor=actor)
    profile.full_clean(exclude=["user"])
    _save(profile)
    profile.competences.set(competences)
    profile.fields.set(fields)
    refresh_search_text(profile)
    record_change(actor=actor, obj=profile, action=ObjectChange.Action.CREATE, before=None)
    from tmhub.talent.levels import recompute_training_level

    recompute_training_level(profile)  # certificates earned before the profile existed
    profile.refresh_from_db(fields=["training_level", "claimed_training_level"])
    return profile


@transaction.atomic
def update_profile(profile: ManagerProfile, *, actor, id_number: str | None = None,
                   competences=None, fields=None, **values) -> ManagerProfile:
    """Change a profile; identity fields are frozen during review unless the city edits them."""
    profile = ManagerProfile.objects.select_for_update().get(pk=profile.pk)
    policies.require(actor, "change", profile)
    before = snapshot(profile)
    changes_identity = bool(id_number) or any(
        k in values and values[k] != getattr(profile, k) for k in IDENTITY_FIELDS if k in values
    )
    if changes_identity and not policies.allows(actor, "change_identity", profile):
        raise field_error(
            "full_name",
            _("Name and identity cannot be changed while the registration is under review or "
              "registered; ask the municipal administrator."),
            "identity_locked",
        )
    for key, value in values.items():
        if key in PROFILE_FIELDS:
            setattr(profile, key, value)
    if id_number:
        _set_identity(profile, id_number, actor=actor)
    elif "identity_type" in values and profile.id_number_encrypted and (
        before["identity_type"] != profile.identity_type
    ):
        raise ValidationError({"id_number": _("Enter the number of the new document.")},
                              code="required")
    profile.full_clean(exclude=["user"])
    _save(profile)
    if competences is not None:
        profile.competences.set(competences)
    if fields is not None:
        profile.fields.set(fields)
    refresh_search_text(profile)
    record_change(actor=actor, obj=profile, action=ObjectChange.Action.UPDATE, before=before)
    return profile


@transaction.atomic
def reveal_id_number(profile: ManagerProfile, *, actor, reason: str) -> str:
    """Return the full ID number; refused without a reason, recorded as a workflow event.

    Raises `protection.UndecryptableIdNumber` when no configured key decrypts the number (a
    key missing from TALENT_ID_KEYS): never an empty answer that reads like "no number"."""
    if not policies.allows(actor, "reveal_id", profile):
        raise ValidationError(_("You are not allowed to see full ID numbers."),
                              code="reveal_forbidden")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why you need the full ID number.")},
                              code="reason_required")
    number = protection.decrypt(profile.id_number_encrypted)
    record_event(actor=actor, obj=profile, event_type=RegistrationEvent.ID_REVEALED,
                 reason=reason.strip(), data={"masked": profile.id_number_masked})
    return number
