"""Re-encrypting every stored ID number with the newest key (`manage.py rotate_id_key`).

After a new TALENT_ID_KEY is deployed (the previous one moved to TALENT_ID_OLD_KEYS), rows
still hold numbers encrypted, and fingerprinted, with the old key. `rotate_id_numbers` walks
the profiles in primary-key batches, each batch in its own transaction with its rows locked,
and rewrites every row that is not yet under the newest key: the token re-encrypted
(MultiFernet.rotate) and the fingerprint recomputed from the decrypted number. A row already
current is left alone, so a second run (or a run resumed after an interruption) changes
nothing. Each rewritten row gets its ObjectChange (actor SYSTEM; the encrypted fields are
masked in the log, so no value is recorded), all under the caller's one operation id. A row
that no configured key decrypts stops the run with `UndecryptableIdNumber`: the batches before
it stay done, and nothing is guessed or blanked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from tmhub.core.actors import SYSTEM
from tmhub.core.audit import record_change, snapshot
from tmhub.core.models import ObjectChange
from tmhub.talent import protection
from tmhub.talent.models import ManagerProfile


@dataclass
class RotationProgress:
    total: int  # profiles holding an ID number
    checked: int = 0
    rotated: int = 0


def _needs_rotation(profile: ManagerProfile) -> tuple[str, str] | None:
    """(new token, new fingerprint) when `profile` is not yet under the newest key."""
    number = protection.decrypt(profile.id_number_encrypted)  # raises if no key can
    canonical = protection.normalize_id(profile.identity_type, number, profile.nationality)
    fingerprint = protection.digest(canonical)
    if protection.is_current(profile.id_number_encrypted) and (
        profile.id_number_digest == fingerprint
    ):
        return None
    return protection.reencrypt(profile.id_number_encrypted), fingerprint


def rotate_id_numbers(
    *, batch_size: int = 500, report: Callable[[RotationProgress], None] | None = None
) -> RotationProgress:
    """Re-encrypt (and re-fingerprint) every ID number not yet under the newest key."""
    holders = ManagerProfile.objects.exclude(id_number_encrypted="").order_by("pk")
    progress = RotationProgress(total=holders.count())
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(holders.filter(pk__gt=last_pk).select_for_update()[:batch_size])
            if not batch:
                break
            for profile in batch:
                rewritten = _needs_rotation(profile)
                if rewritten is not None:
                    before = snapshot(profile)
                    profile.id_number_encrypted, profile.id_number_digest = rewritten
                    # Only the two stored forms of the number change: no updated_at, no
                    # re-validation of a profile that may be incomplete.
                    profile.save(update_fields=["id_number_encrypted", "id_number_digest"])
                    record_change(
                        actor=SYSTEM, obj=profile, action=ObjectChange.Action.UPDATE, before=before
                    )
                    progress.rotated += 1
            progress.checked += len(batch)
            last_pk = batch[-1].pk
        if report is not None:
            report(progress)
    return progress
