"""What training does when records of other apps change (the event bus, tmhub.core.events).

The progress dashboard breaks trainees down by the district, kind of employer, employer, entry
route and industry fields of their talent profile, and by the district and kind of the
organisations they work for (dashboard/population.py). When a profile or an organisation
changes one of those, the running totals of the trainees concerned move from where they
counted to where they count now (dashboard/figures.py `restate`). The subscribers run inside
the writer's transaction (`IN_TRANSACTION`), so the totals commit or roll back with the edit
itself; "before" is the audit snapshot the writer recorded, never a second read of the row.
"""

from __future__ import annotations

from django.db.models import Q

from tmhub.core.events import IN_TRANSACTION, ObjectChanged, subscribe
from tmhub.training.dashboard import cache as dashboard_cache
from tmhub.training.dashboard import figures
from tmhub.training.dashboard.population import (
    OrganizationAsWas,
    ProfileAsWas,
    has_profiles,
)
from tmhub.training.models import Enrolment

# The profile fields the dashboard attributes a trainee by.
PROFILE_ATTRIBUTION = frozenset({"work_district", "employer", "entry_route", "fields"})
# The organisation fields it breaks employers down by.
ORGANIZATION_ATTRIBUTION = frozenset({"district", "kind"})


def profile_as_was(before: dict | None) -> ProfileAsWas:
    """The attribution a profile snapshot gave (None: there was no profile yet)."""
    if before is None:
        return ProfileAsWas(exists=False)
    from tmhub.orgs.models import Organization

    employer_id = before.get("employer")
    employer = (
        Organization.objects.filter(pk=employer_id).values("district_id", "kind").first()
        if employer_id
        else None
    ) or {}
    return ProfileAsWas(
        exists=True,
        work_district_id=before.get("work_district"),
        employer_id=employer_id,
        employer_district_id=employer.get("district_id"),
        employer_kind=employer.get("kind") or "",
        entry_route=before.get("entry_route") or "",
        field_ids=tuple(before.get("fields") or ()),
    )


def _restate(trainee_ids, was) -> None:
    if trainee_ids:
        dashboard_cache.changed()
        figures.restate(trainee_ids, was)


if has_profiles():

    @subscribe(
        ObjectChanged,
        model="talent.ManagerProfile",
        fields=PROFILE_ATTRIBUTION,
        when=IN_TRANSACTION,
    )
    def profile_attribution_changed(event: ObjectChanged) -> None:
        """A profile created, deleted, or moved to another district, employer, route or field:
        its holder's training counts where the profile now says."""
        user_id = (event.after or event.before or {}).get("user")
        # A profile of someone never enrolled costs this one query.
        if user_id is None or not Enrolment.objects.filter(trainee_id=user_id).exists():
            return
        _restate([user_id], profile_as_was(event.before))


@subscribe(
    ObjectChanged,
    model="orgs.Organization",
    fields=ORGANIZATION_ATTRIBUTION,
    when=IN_TRANSACTION,
)
def organization_attribution_changed(event: ObjectChanged) -> None:
    """An organisation moved district or changed kind: the trainees it employs (as recorded on
    their enrolments, or as their profile's employer) count under the new one."""
    if event.action != "update":
        return  # a new organisation employs no trainee yet; one in use cannot be deleted
    pk = event.int_pk
    employs = Q(organization_id=pk)
    if has_profiles():
        employs |= Q(trainee__manager_profile__employer_id=pk)
    trainees = set(
        Enrolment.objects.filter(employs).values_list("trainee_id", flat=True).distinct()
    )
    was = OrganizationAsWas(
        pk=pk, district_id=event.before.get("district"), kind=event.before.get("kind") or ""
    )
    _restate(trainees, was)
