"""What matching does when records change elsewhere: keep each match index current.

Every service that writes an achievement, a demand, a manager profile, a user or an
organisation records the change (``record_change`` / ``record_event``); the bus hands it to
these subscribers once the transaction has committed, so a rolled-back edit never reaches an
index. Each subscriber updates the one document concerned (``indexing.record_changed``):
never a rebuild, so a profile edit is searchable in every process within a second even with
100,000 managers (``bench/bench_match_freshness.py``). Updates that touch none of the fields
a document is made of (``Source.fields``) are ignored.
"""

from __future__ import annotations

from tmhub.core.choices import SERVICE_PROVIDER_KINDS
from tmhub.core.events import ObjectChanged, WorkflowStepped, subscribe
from tmhub.matching import indexing
from tmhub.matching.sources import (
    AchievementSource,
    DemandSource,
    ManagerSource,
    ProviderSource,
)


# ---------------------------------------------------------------- achievements, demands
@subscribe(ObjectChanged, model=AchievementSource.model, fields=AchievementSource.fields)
@subscribe(WorkflowStepped, model=AchievementSource.model)
def achievement_changed(event) -> None:
    """Published, edited, withdrawn or deleted: the achievement's entry follows."""
    indexing.record_changed(AchievementSource.kind, event.int_pk)


@subscribe(ObjectChanged, model=DemandSource.model, fields=DemandSource.fields)
@subscribe(WorkflowStepped, model=DemandSource.model)
def demand_changed(event) -> None:
    """Published, edited, closed or deleted: the demand's entry follows."""
    indexing.record_changed(DemandSource.kind, event.int_pk)


# ---------------------------------------------------------------- managers
@subscribe(ObjectChanged, model=ManagerSource.model, fields=ManagerSource.fields)
def profile_changed(event) -> None:
    """A profile created, edited (text, employer, district, fields, competences) or deleted."""
    indexing.record_changed(ManagerSource.kind, event.int_pk)


@subscribe(ObjectChanged, model="accounts.User", fields={"is_active"})
def account_activity_changed(event) -> None:
    """A deactivated account's manager leaves the index (and comes back when reactivated)."""
    from tmhub.talent.models import ManagerProfile

    profile_ids = ManagerProfile.objects.filter(user_id=event.int_pk).values_list("pk", flat=True)
    indexing.records_changed(ManagerSource.kind, profile_ids)


# ---------------------------------------------------------------- organisations
def _is_provider(snapshot: dict | None) -> bool:
    return bool(snapshot) and snapshot.get("kind") in SERVICE_PROVIDER_KINDS


@subscribe(ObjectChanged, model=ProviderSource.model, fields=ProviderSource.fields)
def organization_changed(event) -> None:
    """A service provider created, edited, deactivated or deleted (or an organisation whose
    kind made it one, or no longer one)."""
    if _is_provider(event.before) or _is_provider(event.after):
        indexing.record_changed(ProviderSource.kind, event.int_pk)


@subscribe(ObjectChanged, model="orgs.Organization", fields={"name"})
def employer_renamed(event) -> None:
    """A manager's document carries the employer's name: re-index that employer's managers
    (one index write for all of them)."""
    from tmhub.talent.models import ManagerProfile

    indexing.records_changed(
        ManagerSource.kind,
        ManagerProfile.objects.filter(employer_id=event.int_pk).values_list("pk", flat=True),
    )
