"""The talent profile's training level follows the certificates (only ever upwards).

The talent app has no service for this one field: its `update_profile` re-validates the
whole profile, and an incomplete profile must not stop a certificate from being issued. So
the field is set here, alone, with an audit record in the same transaction. A revoked
certificate leaves the level as it is: the profile records the highest level reached, and
the certificate register is where validity is checked.
"""

from __future__ import annotations

from tmhub.core.audit import record_change, snapshot
from tmhub.core.models import ObjectChange
from tmhub.training.choices import LEVEL_ORDER
from tmhub.training.dashboard.population import has_profiles


def raise_training_level(user_id, level: str, *, actor) -> bool:
    """Set the manager's profile training level to `level` if that is higher than what it
    says (caller's transaction); True when it changed. No profile: nothing to do."""
    if not has_profiles() or not level:
        return False
    from tmhub.talent.models import ManagerProfile

    profile = ManagerProfile.objects.select_for_update().filter(user_id=user_id).first()
    if profile is None or LEVEL_ORDER.get(level, 0) <= LEVEL_ORDER.get(
            profile.training_level or "", 0):
        return False
    before = snapshot(profile)
    profile.training_level = level
    # One column, no full re-validation of the profile; the change is published like any
    # other, and the dashboard ignores it (the level does not decide where a trainee counts).
    ManagerProfile.objects.filter(pk=profile.pk).update(training_level=level)
    record_change(actor=actor, obj=profile, action=ObjectChange.Action.UPDATE, before=before)
    return True
