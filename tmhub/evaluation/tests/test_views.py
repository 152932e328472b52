"""The titles page: the one-step eligibility check, the rules with their legal basis, and the
unconfirmed figures flagged."""

from django.conf import settings
from django.urls import reverse

from conftest import client_for
from tmhub.core.access import ANONYMOUS_SCOPE, get_scope
from tmhub.evaluation import nav

ASK = {"level": "engineer", "direction": "research", "education": "bachelor",
       "years_since_education": "4", "current_title": "none", "years_in_current_title": "0"}


def test_given_anyone_when_they_open_the_page_then_every_level_and_its_flags_show(
        db, client, django_assert_max_num_queries):
    """Given no sign-in, when the page opens, then the four levels are listed with their
    routes, and the unconfirmed ones (高级, 正高级, the procedure) carry the flag."""
    with django_assert_max_num_queries(20):
        response = client.get(reverse("evaluation:home"))
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("助理工程师", "工程师", "高级工程师", "正高级工程师"):
        assert name in page
    # 2 senior routes + 1 professor route + the procedure rule
    assert page.count('class="badge bg-warning text-dark unconfirmed"') == 4
    assert "《北京市工程技术人才职称评价基本标准条件》" in page


def test_given_answers_when_the_check_is_asked_then_the_verdict_explains_each_route(db, client):
    response = client.get(reverse("evaluation:home"), ASK)
    page = response.content.decode()
    assert 'data-eligible="false"' in page
    assert 'data-code="bachelor_5y" data-met="false"' in page
    assert 'data-code="transfer_service_capacity" data-met="null"' in page
    assert "不符合：须本科及以上学历" in page


def test_given_bad_answers_then_the_form_shows_field_errors_and_no_verdict(db, client):
    response = client.get(reverse("evaluation:home"), {**ASK, "years_since_education": "-3"})
    assert response.status_code == 200
    assert 'id="verdict"' not in response.content.decode()
    assert response.context["form"].errors["years_since_education"]


def test_given_a_manager_profile_then_the_form_starts_from_its_degree_and_title(personas):
    from tmhub.talent.tests.helpers import make_profile
    profile = make_profile(personas.manager)
    response = client_for(personas.manager).get(reverse("evaluation:home"))
    assert response.context["form"].initial["education"] == "master"
    assert response.context["form"].initial["current_title"] == profile.professional_title


def test_given_the_page_in_english_then_the_unconfirmed_flag_is_in_english(db, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("evaluation:home"), ASK)
    assert "To be confirmed by the Beijing human resources bureau" in response.content.decode()


def test_the_bar_lists_titles_for_those_who_apply_review_or_run_the_round(personas):
    shown = {name for name, user in personas.signed_in() if nav.visible(get_scope(user))}
    assert shown == {"municipal_admin", "institution_admin", "manager", "reviewer"}
    assert not nav.visible(ANONYMOUS_SCOPE)


def test_the_routes_of_a_level_read_from_the_highest_education_down(db, client):
    """As the official text lists them (博士; 硕士 + 2; 本科 + 5; 大专 + 7; then the route
    through a title), on the page and in the verdict; they read in the order of their codes."""
    from tmhub.evaluation.models import TitleLevel
    from tmhub.evaluation.services.titles import routes_in_force

    expected = ["doctorate_degree", "master_2y", "bachelor_5y", "junior_college_7y",
                "assistant_engineer_4y"]
    engineer = TitleLevel.objects.get(code="engineer")
    assert [r.code for r in routes_in_force(engineer)] == expected
    assistant = TitleLevel.objects.get(code="assistant_engineer")
    assert [r.code for r in routes_in_force(assistant)] == [
        "master_degree", "bachelor_1y", "junior_college_3y", "secondary_vocational_5y"]
    page = client.get(reverse("evaluation:home"), ASK).content.decode()
    verdict = page[page.index('id="verdict"'):]
    positions = [verdict.index(f'data-code="{code}"') for code in expected]
    assert positions == sorted(positions)


def test_the_check_speaks_to_the_applicant_and_says_no_title_without_0_years(db, client):
    page = client.get(reverse("evaluation:home"), ASK).content.decode()
    assert "（您：本科，4 年）" in page
    assert "（您：本科；无职称）" in page and "无职称 0 年" not in page


def test_a_label_before_its_value_takes_the_full_width_colon_in_chinese(db, client):
    page = client.get(reverse("evaluation:home")).content.decode()
    assert "法律依据：《北京市工程技术人才职称评价基本标准条件》" in page
    assert "法律依据: " not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Legal basis: " in client.get(reverse("evaluation:home")).content.decode()


def test_given_no_profile_then_no_education_is_preselected_and_it_is_asked_for(db, client):
    page = client.get(reverse("evaluation:home")).content.decode()
    form = page[page.index('id="id_education"'):]
    assert form[:form.index("</select>")].count("selected") == 1
    assert '<option value="" selected>---------</option>' in form
    response = client.get(reverse("evaluation:home"), {**ASK, "education": ""})
    assert response.context["form"].errors["education"]


def test_given_a_verdict_resting_on_unconfirmed_figures_then_the_headline_says_so(db, client):
    """高级工程师's routes follow the national pattern, unconfirmed for Beijing: a yes built on
    them says in the headline itself that the figures await 市人社局; a yes on confirmed
    figures (工程师) does not."""
    senior = client.get(reverse("evaluation:home"), {
        **ASK, "level": "senior_engineer", "education": "doctorate",
        "years_since_education": "9", "current_title": "engineer",
        "years_in_current_title": "5"}).content.decode()
    assert 'data-eligible="true"' in senior
    assert "所依据的条件尚待市人社局确认。" in senior
    engineer = client.get(reverse("evaluation:home"), {
        **ASK, "years_since_education": "6"}).content.decode()
    assert 'data-eligible="true"' in engineer
    assert 'class="small provisional"' not in engineer
