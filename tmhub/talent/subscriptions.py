"""What the talent pool does when records of other apps change (the event bus).

A manager's training level follows their certificates (`levels.py`): when the training app
issues a certificate or its status moves (revoked, reinstated), the holder's level is
recomputed inside the same transaction, so the certificate and the level commit together.
Training never writes the talent profile itself.
"""

from __future__ import annotations

from django.apps import apps

from tmhub.core.events import IN_TRANSACTION, ObjectChanged, subscribe

if apps.is_installed("tmhub.training"):

    @subscribe(ObjectChanged, model="training.Certificate", fields=("status", "level"),
               when=IN_TRANSACTION)
    def certificate_changed(event: ObjectChanged) -> None:
        from tmhub.talent.levels import recompute_training_level

        trainee = (event.after or event.before or {}).get("trainee")
        if trainee is not None:
            recompute_training_level(trainee)


@subscribe(ObjectChanged, model="orgs.Organization", fields=("name", "name_en"),
           when=IN_TRANSACTION)
def employer_renamed(event: ObjectChanged) -> None:
    """The directory searches a manager by their employer's name: a renamed employer's
    managers are found by the new name at once."""
    if event.action != "update":
        return
    from tmhub.talent.models import ManagerProfile
    from tmhub.talent.services import refresh_search_text

    profiles = ManagerProfile.objects.filter(employer_id=event.pk).select_related(
        "employer", "discipline", "work_district").prefetch_related("fields", "competences")
    for profile in profiles:
        refresh_search_text(profile)
