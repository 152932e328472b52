"""The registry behind My work: sources declared per module, items sorted by what falls due."""

import datetime
from types import SimpleNamespace

import pytest

from tmhub.core import work_items

TODAY = datetime.date(2026, 12, 2)
SIGNED_IN = SimpleNamespace(is_authenticated=True)


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(work_items, "REGISTRY", {})
    return work_items.REGISTRY


def _item(title, due_on):
    return work_items.WorkItem(title=title, url=f"/{title}/", due_on=due_on)


def test_items_come_from_every_module_overdue_first_undated_last(registry):
    @work_items.register("a.fees", module="a", label="Fees")
    def fees(scope):
        return [_item("soon", TODAY + datetime.timedelta(days=3)), _item("undated", None)]

    @work_items.register("b.reviews", module="b", label="Reviews")
    def reviews(scope):
        yield _item("late", TODAY - datetime.timedelta(days=1))

    items = work_items.items_for(SIGNED_IN, today=TODAY)
    assert [i.title for i in items] == ["late", "soon", "undated"]
    assert (items[0].kind, items[0].module, items[0].kind_label) == ("b.reviews", "b", "Reviews")
    assert items[0].overdue(TODAY) and items[1].days_left(TODAY) == 3
    assert [i.title for i in work_items.items_for(SIGNED_IN, module="a", today=TODAY)] == [
        "soon", "undated"]
    assert [i.title for i in work_items.items_for(SIGNED_IN, due_within_days=2, today=TODAY)
            ] == ["late"]
    assert work_items.count_for(SIGNED_IN) == 3


def test_nobody_signed_out_has_work_and_a_kind_is_claimed_once(registry):
    @work_items.register("a.fees", module="a", label="Fees")
    def fees(scope):
        return [_item("soon", TODAY)]

    assert work_items.items_for(SimpleNamespace(is_authenticated=False)) == []
    with pytest.raises(ValueError):
        work_items.register("a.fees", module="c", label="Other")(lambda scope: [])


def test_a_failing_source_fails_the_suite_and_is_skipped_in_production(registry, settings):
    @work_items.register("a.broken", module="a", label="Broken")
    def broken(scope):
        raise RuntimeError("a module's fault")

    @work_items.register("b.fine", module="b", label="Fine")
    def fine(scope):
        return [_item("still listed", TODAY)]

    with pytest.raises(RuntimeError):
        work_items.items_for(SIGNED_IN, today=TODAY)
    settings.EVENTS_RAISE_SUBSCRIBER_ERRORS = False
    assert [i.title for i in work_items.items_for(SIGNED_IN, today=TODAY)] == ["still listed"]


@pytest.mark.django_db
def test_a_user_may_be_given_for_their_scope(registry, personas):
    from tmhub.core.access import Scope

    seen = []

    @work_items.register("a.seen", module="a", label="Seen")
    def seen_scope(scope):
        seen.append(scope)
        return []

    work_items.items_for(personas.manager)
    assert isinstance(seen[0], Scope) and seen[0].user_id == personas.manager.pk
