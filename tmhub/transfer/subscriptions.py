"""Keep the search text of achievements and demands current (tmhub.transfer.search).

In the writer's transaction, so a search right after a save finds the record."""

from tmhub.core.events import IN_TRANSACTION, ObjectChanged, subscribe
from tmhub.transfer import search
from tmhub.transfer.models import Achievement, Demand

ACHIEVEMENT_TEXT = {"title", "abstract", "keywords", "owner"}
DEMAND_TEXT = {"title", "problem", "expected_outcome", "keywords", "organization"}


@subscribe(ObjectChanged, model=Achievement, fields=ACHIEVEMENT_TEXT, when=IN_TRANSACTION)
@subscribe(ObjectChanged, model=Demand, fields=DEMAND_TEXT, when=IN_TRANSACTION)
def refresh_search_text(event):
    if event.action == "delete":
        return
    record = event.model_class().objects.filter(pk=event.pk).first()
    if record is not None:
        search.refresh(record)


@subscribe(ObjectChanged, model="orgs.Organization", fields={"name", "name_en"},
           when=IN_TRANSACTION)
def refresh_after_rename(event):
    if event.action != "update":
        return
    for record in Achievement.objects.filter(owner_id=event.pk).select_related("owner"):
        search.refresh(record)
    for record in Demand.objects.filter(organization_id=event.pk).select_related("organization"):
        search.refresh(record)
