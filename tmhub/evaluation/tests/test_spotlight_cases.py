"""The spotlight page and a nomination's evidence list the manager's published cases (issue
17 items 5 and 6): a draft case is not shown, and the public never reads a withheld figure
through them."""

import pytest
from django.urls import reverse

from tmhub.evaluation.services import nominations
from tmhub.evaluation.spotlight_choices import NominationStatus as N
from tmhub.evaluation.tests.case_helpers import draft, landed_project, publish
from tmhub.evaluation.tests.spotlight_helpers import programme, published_entry, round_with_rating

pytestmark = pytest.mark.django_db


def test_the_spotlight_page_lists_the_managers_published_cases_only(personas, client):
    _round, rating = round_with_rating(personas)
    entry = published_entry(personas, rating)
    project = landed_project(personas)
    shown = publish(personas, draft(personas, project))
    hidden = draft(personas, project, title_zh="尚在起草的案例")

    page = client.get(reverse("evaluation:spotlight-detail", args=[entry.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert shown.get_public_url() in html and shown.title_zh in html
    assert hidden.title_zh not in html


def test_a_nominations_evidence_carries_the_published_cases(personas):
    round_with_rating(personas)
    project = landed_project(personas)
    case = publish(personas, draft(personas, project))
    draft(personas, project, title_zh="尚在起草的案例")
    nomination = nominations.create_nomination(
        actor=personas.institution_admin, programme=programme(personas.municipal_admin),
        manager=personas.manager, statement="业绩突出。")

    nomination = nominations.step_nomination(nomination, N.SUBMITTED,
                                             actor=personas.institution_admin)

    assert [c["id"] for c in nomination.evidence["cases"]] == [case.pk]
