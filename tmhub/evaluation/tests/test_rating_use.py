"""Given a manager rated in two published rounds and a later round not yet published, when
they cite their rating on a title application, then only their own latest published rating
can be cited, its figures are copied from the records (round, system and version, cut-off,
total, level, each dimension) and frozen, and the application page and the dossier show
them to those who see the application."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import ObjectChange
from tmhub.core.tests.pdf_checks import pdf_text, squash
from tmhub.evaluation.models import RatingEvidence, RatingItem
from tmhub.evaluation.services import rating_use
from tmhub.evaluation.services import ratings as rating_services
from tmhub.evaluation.services.applications import step_application
from tmhub.evaluation.tests.helpers import draft
from tmhub.evaluation.tests.rating_use_helpers import rated_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    world = rated_world(personas)
    application = draft(world.manager, personas.university)
    return personas, world, application


def _code(exc: ValidationError) -> str:
    return exc.value.error_dict["rating"][0].code


def _dimensions(rating):
    return [(i.indicator.code, f"{i.points:.2f}") for i in RatingItem.objects.filter(
        rating=rating, indicator__parent__isnull=True).select_related("indicator")
        .order_by("indicator__order", "indicator__id")]


def test_the_figures_cited_are_the_latest_published_ratings(world):
    personas, world, application = world
    rating = world.rating(world.round_2026, world.manager)
    assert rating_use.attachable_rating(application) == rating  # not the later unpublished one
    evidence = rating_use.attach_rating(application, actor=world.manager, rating_id=rating.pk)
    assert (evidence.rating_id, evidence.round_name, evidence.cutoff, evidence.total,
            evidence.level) == (rating.pk, rating.round.name, rating.round.cutoff,
                                rating.total, rating.level)
    assert str(rating.total) == "80.00" and rating.level == "intermediate"
    assert evidence.system_version == rating.system.version
    assert evidence.system_name_zh == rating.system.name_zh
    assert [(d["code"], d["points"]) for d in evidence.dimensions] == _dimensions(rating)
    # audited in the application's history
    change = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(RatingEvidence),
        object_id=str(evidence.pk), action=ObjectChange.Action.CREATE).get()
    assert change.related_object_id == str(application.pk)


def test_another_managers_an_unpublished_and_an_older_rating_are_refused(world):
    personas, world, application = world
    cases = {
        "not_your_rating": world.rating(world.round_2026, world.other_manager),
        "round_not_published": world.rating(world.round_unpublished, world.manager),
        "not_latest": world.rating(world.round_2025, world.manager),
    }
    for code, rating in cases.items():
        with pytest.raises(ValidationError) as exc:
            rating_use.attach_rating(application, actor=world.manager, rating_id=rating.pk)
        assert _code(exc) == code
    with pytest.raises(ValidationError) as exc:
        rating_use.attach_rating(application, actor=world.manager, rating_id="x")
    assert _code(exc) == "not_your_rating"
    assert not RatingEvidence.objects.exists()
    # nobody but the applicant cites on their application (404, as a missing record)
    mine = world.rating(world.round_2026, world.manager)
    for stranger in (world.other_manager, personas.institution_admin, world.city):
        with pytest.raises(Http404):
            rating_use.attach_rating(application, actor=stranger, rating_id=mine.pk)


def test_once_submitted_the_cited_rating_cannot_change(world):
    personas, world, application = world
    rating = world.rating(world.round_2026, world.manager)
    rating_use.attach_rating(application, actor=world.manager, rating_id=rating.pk)
    step_application(application, "submitted", actor=world.manager)
    with pytest.raises(Http404):
        rating_use.detach_rating(application, actor=world.manager)
    assert RatingEvidence.objects.filter(application=application).exists()


def test_a_rating_recomputed_after_an_objection_must_be_cited_again(world):
    """The snapshot is frozen: an upheld objection computes the rating again (same row), the
    application keeps what was cited, says so, and cannot be submitted until cited again."""
    personas, world, application = world
    rating = world.rating(world.round_2026, world.manager)
    objection = rating_services.file_objection(rating, actor=world.manager, text="评分有误。")
    with pytest.raises(ValidationError) as exc:
        rating_use.attach_rating(application, actor=world.manager, rating_id=rating.pk)
    assert _code(exc) == "objection_open"
    rating_services.resolve_objection(objection, actor=world.city, upheld=False,
                                      resolution="核实无误。")
    evidence = rating_use.attach_rating(application, actor=world.manager, rating_id=rating.pk)
    second = rating_services.file_objection(rating, actor=world.manager, text="再次异议。")
    with pytest.raises(ValidationError) as exc:
        step_application(application, "submitted", actor=world.manager)
    assert exc.value.error_dict["rating"][0].code == "rating_objection_open"
    rating_services.resolve_objection(second, actor=world.city, upheld=True)
    kept = RatingEvidence.objects.get(pk=evidence.pk)
    assert kept.rating_computed_at == evidence.rating_computed_at  # frozen
    assert rating_use.is_stale(kept)
    with pytest.raises(ValidationError) as exc:
        step_application(application, "submitted", actor=world.manager)
    assert exc.value.error_dict["rating"][0].code == "rating_stale"
    page = client_for(world.manager).get(application.get_absolute_url()).content.decode()
    assert 'id="rating-evidence-stale"' in page
    rating_use.attach_rating(application, actor=world.manager, rating_id=rating.pk)
    assert not rating_use.is_stale(RatingEvidence.objects.get(application=application))
    step_application(application, "submitted", actor=world.manager)


def test_the_application_page_and_the_dossier_show_the_cited_figures(world, tmp_path):
    personas, world, application = world
    rating = world.rating(world.round_2026, world.manager)
    url = application.get_absolute_url()
    page = client_for(world.manager).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="attach-rating"' in page
    response = client_for(world.manager).post(
        reverse("evaluation:application-rating-attach", args=[application.pk]),
        {"rating": rating.pk})
    assert response.status_code == 302
    step_application(application, "submitted", actor=world.manager)
    dimensions = _dimensions(rating)
    # the employer's administrator reads the submitted application with its evidence
    for reader in (world.manager, personas.institution_admin, world.city):
        page = client_for(reader).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert f'id="evidence-total">{rating.total}<' in page
        assert f'id="evidence-round">{rating.round.name}<' in page
        assert rating.round.cutoff.isoformat() in page
        for code, points in dimensions:
            assert f'data-code="{code}"' in page and points in page
        assert 'id="attach-rating"' not in page  # submitted: nothing to change
    for stranger in (world.other_admin, personas.outsider):
        assert client_for(stranger).get(url).status_code == 404
    pdf = client_for(world.manager).get(
        reverse("evaluation:application-dossier", args=[application.pk]),
        HTTP_ACCEPT_LANGUAGE="zh-hans").content
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        assert squash(rating.round.name) in text and str(rating.total) in text
        assert rating.round.cutoff.isoformat() in text
        for _dimension, points in dimensions:
            assert points in text


def test_the_api_exposes_and_attaches_the_rating_under_the_same_policy(world):
    personas, world, application = world
    rating = world.rating(world.round_2026, world.manager)
    url = reverse("title-application-rating-evidence", args=[application.pk])
    other = client_for(world.other_manager).post(url, {"rating": rating.pk},
                                                 content_type="application/json")
    assert other.status_code == 404
    older = world.rating(world.round_2025, world.manager)
    refused = client_for(world.manager).post(url, {"rating": older.pk},
                                             content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["fields"]["rating"][0]["code"] == "not_latest"
    answer = client_for(world.manager).post(url, {"rating": rating.pk},
                                            content_type="application/json")
    assert answer.status_code == 200
    cited = answer.json()["rating_evidence"]
    assert cited["total"] == str(rating.total) and cited["round_name"] == rating.round.name
    assert [(d["code"], d["points"]) for d in cited["dimensions"]] == _dimensions(rating)
    assert client_for(world.manager).delete(url).json()["rating_evidence"] is None


def test_the_assigned_reviewer_and_the_bureau_read_the_cited_rating_as_evidence(world):
    """The reviewer scores the application with the cited figures in front of them; the
    rating's own page (its explanation) stays the manager's, employer's and city's."""
    from tmhub.evaluation.choices import ApplicationStatus as S
    from tmhub.evaluation.services import panels
    from tmhub.evaluation.tests.helpers import advance, bureau_officer, panel_of

    personas, world, application = world
    rating = world.rating(world.round_2026, world.manager)
    rating_use.attach_rating(application, actor=world.manager, rating_id=rating.pk)
    officer = bureau_officer()
    application = advance(application, S.PANEL_REVIEW, applicant=world.manager,
                          employer_admin=personas.institution_admin, officer=officer)
    member = panel_of(application, officer).memberships.first()
    panels.assign_reviewer(application, actor=officer, expert=member.expert)
    for reader in (member.expert.user, officer):
        page = client_for(reader).get(application.get_absolute_url()).content.decode()
        assert f'id="evidence-total">{rating.total}<' in page
        assert 'id="evidence-explanation"' not in page  # the rating itself is not theirs
        assert client_for(reader).get(rating.get_absolute_url()).status_code == 404
    page = client_for(world.manager).get(application.get_absolute_url()).content.decode()
    assert 'id="evidence-explanation"' in page
