"""What the city dashboard's running totals do when records of other apps change (the event
bus, tmhub.core.events): the contributions of the records concerned are computed again and
the difference booked (tmhub.insights.totals), inside the writer's transaction
(`IN_TRANSACTION`), so the totals commit or roll back with the write itself. A restatement of
a record that did not change books nothing, so every change of these records is followed,
whatever step caused it."""

from __future__ import annotations

from tmhub.core.events import IN_TRANSACTION, ObjectChanged, WorkflowStepped, subscribe
from tmhub.insights import totals


def _current(model_path: str, parent_field: str):
    def current(parents):
        from django.apps import apps

        model = apps.get_model(model_path)
        return model.objects.filter(**{f"{parent_field}__in": parents}).values_list(
            "pk", flat=True)

    return current


@subscribe(ObjectChanged, model="talent.ManagerProfile", when=IN_TRANSACTION)
@subscribe(WorkflowStepped, model="talent.ManagerProfile", when=IN_TRANSACTION)
def manager_changed(event):
    totals.restate("manager", [event.int_pk])


@subscribe(ObjectChanged, model="orgs.Organization", fields=("kind",), when=IN_TRANSACTION)
def employer_changed(event):
    """Managers count by the kind of their employer."""
    totals.restate("manager", totals.children(
        "manager", [event.int_pk], _current("talent.ManagerProfile", "employer_id")))


@subscribe(ObjectChanged, model="transfer.Contract", when=IN_TRANSACTION)
@subscribe(WorkflowStepped, model="transfer.Contract", when=IN_TRANSACTION)
def contract_changed(event):
    """A contract's own figures, and its receipts' and costs' (they count for the contract's
    institution; deleted with it, they leave the totals with it)."""
    totals.restate("contract", [event.int_pk])
    for source, model in (("receipt", "transfer.Receipt"), ("cost", "transfer.Cost")):
        totals.restate(source, totals.children(source, [event.int_pk],
                                               _current(model, "contract_id")))


@subscribe(ObjectChanged, model="transfer.Project", fields=("field",), when=IN_TRANSACTION)
def project_changed(event):
    """Contracts count by the field of their project."""
    totals.restate("contract", totals.children(
        "contract", [event.int_pk], _current("transfer.Contract", "project_id")))


@subscribe(ObjectChanged, model="transfer.Receipt", when=IN_TRANSACTION)
def receipt_changed(event):
    totals.restate("receipt", [event.int_pk])


@subscribe(ObjectChanged, model="transfer.Cost", when=IN_TRANSACTION)
def cost_changed(event):
    totals.restate("cost", [event.int_pk])


@subscribe(ObjectChanged, model="transfer.RewardSplit", when=IN_TRANSACTION)
@subscribe(WorkflowStepped, model="transfer.RewardSplit", when=IN_TRANSACTION)
def split_changed(event):
    totals.restate("split", [event.int_pk])
