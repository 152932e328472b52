"""A reviewer's My work lists the title applications assigned to them to score; scoring or
recusal takes the item away, and nobody else sees it."""

import pytest

from tmhub.core import work_items
from tmhub.core.access import get_scope
from tmhub.evaluation.tests.test_panels import _members, _scores, world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
KIND = "evaluation.review_to_score"


def items(user):
    return [i for i in work_items.items_for(get_scope(user)) if i.kind == KIND]


def test_assigned_reviews_are_the_reviewers_work_until_scored_or_recused(world):  # noqa: F811
    from tmhub.evaluation.services import panels as services

    personas, officer, application, panel = world
    first, second = _members(panel)[:2]
    one = services.assign_reviewer(application, actor=officer, expert=first)
    two = services.assign_reviewer(application, actor=officer, expert=second)
    [item] = items(first.user)
    assert item.record == one and item.url == one.get_absolute_url()
    assert [i.record for i in items(second.user)] == [two]
    for user in (officer, personas.manager, personas.institution_admin, personas.reviewer):
        assert items(user) == [], user
    services.submit_scores(one, actor=first.user, scores=_scores())
    assert items(first.user) == []
    services.declare_conflict(application, actor=second.user, expert=second,
                              reason="曾与申报人合作")
    assert items(second.user) == []
