"""Given managers and institutions rated in published rounds (and a later round computed but
not published), then the annual filing shows the filer's latest published rating, an
institution's registry page shows its latest rating to its scoped roles only, and a round's
results export to xlsx with exactly the ratings in the caller's scope, each exported manager
written to the personal-data access log."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.core.personal_data import AccessKind, PersonalDataAccess
from tmhub.evaluation.models import Rating, RatingItem
from tmhub.evaluation.tests.rating_use_helpers import rated_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return personas, rated_world(personas)


def _page(user, url) -> str:
    response = client_for(user).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- the annual filing
def test_the_filing_shows_the_latest_published_rating_not_a_later_unpublished_one(world):
    from tmhub.talent import filing as filings
    from tmhub.talent.models import AnnualFiling

    personas, world = world
    filings.open_filings(timezone.localdate().year - 1, actor=world.city)
    filing = AnnualFiling.objects.get(registration__profile__user=world.manager)
    url = reverse("talent:filing-detail", args=[filing.pk])
    latest = world.rating(world.round_2026, world.manager)
    unpublished = world.rating(world.round_unpublished, world.manager)
    assert latest.total != unpublished.total
    for reader in (world.manager, personas.institution_admin, world.city):
        page = _page(reader, url)
        assert f'id="latest-rating-total">{latest.total}<' in page
        assert latest.round.name in page and unpublished.round.name not in page
        assert latest.get_absolute_url() in page  # the link to its explanation
    # read-only: no form of the rating on the page
    assert "rating/attach" not in _page(world.manager, url)
    # the institution's filing shows the institution's rating
    own = AnnualFiling.objects.get(
        institution_registration__organization=personas.university)
    institution = world.institution_rating(world.round_2026, personas.university)
    page = _page(personas.institution_admin, reverse("talent:filing-detail", args=[own.pk]))
    assert f'id="latest-rating-total">{institution.total}<' in page


# ---------------------------------------------------------------- the registry page
def test_the_registry_page_shows_the_institution_rating_to_its_scoped_roles_only(world):
    from tmhub.orgs.models import InstitutionRegistration

    personas, world = world
    registration = InstitutionRegistration.objects.get(organization=personas.university)
    url = reverse("orgs:registration-detail", args=[registration.pk])
    rating = world.institution_rating(world.round_2026, personas.university)
    # the institution's administrator and staff, the city, its district and its department
    for reader in (personas.institution_admin, personas.manager, world.city,
                   personas.district_officer, personas.department_officer):
        page = _page(reader, url)
        assert f'id="latest-rating-total">{rating.total}<' in page, reader
    # the explanation link only for those the rating's policy lets read it
    assert rating.get_absolute_url() in _page(personas.institution_admin, url)
    assert rating.get_absolute_url() not in _page(personas.district_officer, url)
    # the public page of a registered institution carries no rating for anyone else
    anonymous = client_for(None).get(url).content.decode()
    assert 'id="latest-rating"' not in anonymous
    for stranger in (world.other_admin, personas.enterprise, personas.outsider,
                     personas.health_officer):
        assert 'id="latest-rating"' not in _page(stranger, url), stranger


# ---------------------------------------------------------------- exports
def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return header, rows


def _expected(ratings, kind="manager"):
    """(subject, institution, total, level, each dimension's points, cut-off) per rating,
    counted independently from the rating's items."""
    rows = []
    for r in ratings:
        points = {i.indicator.code: round(float(i.points), 2) for i in RatingItem.objects
                  .filter(rating=r, indicator__parent__isnull=True).select_related("indicator")
                  .order_by("indicator__order", "indicator__id")}
        institution = r.institution.name if kind == "institution" else r.employer.name
        rows.append([r.subject_name, institution, float(r.total), r.level_name or None,
                     *points.values(), r.round.cutoff.isoformat()])
    return sorted(rows, key=str)


def test_the_city_exports_every_rating_of_a_round(world):
    personas, world = world
    url = reverse("evaluation:rating-round-export", args=[world.round_2026.pk])
    header, rows = _sheet(client_for(world.city).get(url + "?kind=manager",
                                                     HTTP_ACCEPT_LANGUAGE="zh-hans"))
    ratings = Rating.objects.filter(round=world.round_2026, subject_kind="manager")
    assert len(rows) == ratings.count() == 2
    assert sorted(rows, key=str) == _expected(ratings)
    assert header[:4] == ["评价对象", "机构", "总分（0–100）", "级别"]
    assert header[-1] == "截止日期"
    # each exported manager is one row of the personal-data access log
    logged = PersonalDataAccess.objects.filter(actor=world.city, kind=AccessKind.EXPORT)
    assert sorted(logged.values_list("subject_label", flat=True)) == sorted(
        r.subject_name for r in ratings)
    header, rows = _sheet(client_for(world.city).get(url + "?kind=institution"))
    institutions = Rating.objects.filter(round=world.round_2026, subject_kind="institution")
    assert sorted(rows, key=str) == _expected(institutions, "institution")
    assert len(rows) == 2


def test_an_institution_exports_its_own_staff_only(world):
    personas, world = world
    url = reverse("evaluation:rating-round-export", args=[world.round_2026.pk])
    for admin, staff, other in ((personas.institution_admin, world.manager,
                                 world.other_manager),
                                (world.other_admin, world.other_manager, world.manager)):
        header, rows = _sheet(client_for(admin).get(url + "?kind=manager"))
        assert rows == _expected([world.rating(world.round_2026, staff)])
        names = {row[0] for row in rows}
        assert world.rating(world.round_2026, other).subject_name not in names
        # institutions' ratings are the city's to export
        assert client_for(admin).get(url + "?kind=institution").status_code == 404


def test_who_may_export(world):
    personas, world = world
    url = reverse("evaluation:rating-round-export", args=[world.round_2026.pk])
    unpublished = reverse("evaluation:rating-round-export", args=[world.round_unpublished.pk])
    listing = reverse("evaluation:rating-export-list")
    for persona in (personas.manager, personas.district_officer, personas.department_officer,
                    personas.enterprise, personas.reviewer, personas.outsider):
        assert client_for(persona).get(url).status_code == 404
        assert client_for(persona).get(listing).status_code == 404
    assert client_for(None).get(url).status_code == 302  # to sign in
    assert client_for(world.city).get(unpublished).status_code == 404
    assert client_for(world.city).get(url + "?kind=nobody").status_code == 404
    page = _page(personas.institution_admin, listing)
    assert world.round_2026.name in page and world.round_unpublished.name not in page
    assert 'data-kind="institution"' not in page
    assert 'data-kind="institution"' in _page(world.city, listing)
    assert not PersonalDataAccess.objects.filter(kind=AccessKind.EXPORT).exclude(
        actor=world.city).exists()


def test_a_published_rounds_page_links_its_download_for_those_who_export(world):
    personas, world = world
    detail = reverse("evaluation:rating-round-detail", args=[world.round_2026.pk])
    export = reverse("evaluation:rating-round-export", args=[world.round_2026.pk])
    assert f"{export}?kind=manager" in _page(world.city, detail)
    unpublished = reverse("evaluation:rating-round-detail", args=[world.round_unpublished.pk])
    assert 'id="round-export"' not in _page(world.city, unpublished)
