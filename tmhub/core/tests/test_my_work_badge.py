"""The count of what awaits a person (`my_work_count` in every template's context): counted
once per person and data generation, since every module's sources run to count it."""

import pytest

from tmhub.core import work_items
from tmhub.core.access import get_scope
from tmhub.core.actors import SYSTEM
from tmhub.core.choices import OrgKind
from tmhub.core.context_processors import _my_work_count
from tmhub.orgs.models import Organization
from tmhub.orgs.services import create_organization, update_organization

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(monkeypatch):
    """A source counting the organisations named 待办… the reader may see (one item each)."""
    calls = []
    monkeypatch.setattr(work_items, "REGISTRY", {})

    @work_items.register("core.test_badge", module="core", label="Test")
    def organisations_to_look_at(scope):
        calls.append(scope.user_id)
        rows = work_items.restrict(Organization.objects.filter(name__startswith="待办"), scope)
        return [work_items.WorkItem(title=o.name, url=o.get_absolute_url()) for o in rows]

    return calls


def test_the_count_follows_a_change_and_is_not_recounted_between(personas, source):
    scope = get_scope(personas.municipal_admin)
    assert _my_work_count(scope) == 0
    create_organization(actor=SYSTEM, name="待办大学", kind=OrgKind.UNIVERSITY)
    assert _my_work_count(scope) == 1
    calls = len(source)
    assert _my_work_count(scope) == 1
    assert len(source) == calls  # the same generation: not counted again
    second = create_organization(actor=SYSTEM, name="待办医院", kind=OrgKind.MEDICAL)
    assert _my_work_count(scope) == 2
    update_organization(second, actor=SYSTEM, name="已办医院")
    assert _my_work_count(scope) == 1


def test_each_person_has_their_own_count(personas, source):
    create_organization(actor=SYSTEM, name="待办大学", kind=OrgKind.UNIVERSITY)
    assert _my_work_count(get_scope(personas.municipal_admin)) == 1
    assert set(source) == {personas.municipal_admin.pk}
    _my_work_count(get_scope(personas.manager))
    assert personas.manager.pk in source  # counted for the manager, not read from the city's
