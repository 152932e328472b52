"""The assignment page's candidates (issue 15 item 3): the matching service's public ranking of
managers for the pilot as a piece of work (`managers_for_work`), with its reasons, the
competences of the pilot's stage, and each candidate's workload."""

import pytest
from django.utils import translation

from tmhub.core.models import IndustryField
from tmhub.matching import services as matching
from tmhub.pilots.recommend import PROJECT_STAGE_OF, candidates, work_text
from tmhub.pilots.tests.helpers import assign, make_pilot
from tmhub.talent.tests.helpers import make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def match_index_dir(settings, tmp_path):
    """A fresh index, built from this test's database on first use."""
    settings.MATCH_INDEX_DIR = tmp_path / "match-index"


def test_a_pilot_without_a_field_still_recommends_the_institutions_manager(personas):
    """Given the manager at 测试大学 whose words meet the pilot's (no field, no deals) and a
    manager at another university in another district who shares nothing, when the city opens
    the assignment page of 测试大学's pilot in its feasibility study, then the first is
    recommended, with the shared words and the institution as reasons and no pilot yet; the
    second is not listed. Matching's panel cut-off alone would list nobody."""
    make_profile(personas.manager, employer=personas.university, name="刘洋", fields=(),
                 competences=(), bio="固态电池电解质材料的专利许可与成果转化")
    make_profile(employer=personas.other_university, name="赵敏", fields=(),
                 competences=("LAW",), bio="食品安全标准与餐饮连锁经营")
    pilot = make_pilot(personas)
    with translation.override("en"):
        rows = {c.user: c for c in candidates(pilot, personas.municipal_admin)}
    (mine,) = [c for u, c in rows.items() if u == personas.manager]
    assert mine.recommended and mine.level == "Possible match"
    assert "works at the project's institution" in mine.reasons and "电解质" in mine.reasons
    assert mine.pilots == 0 and mine.projects == 0
    assert [c.name for c in rows.values()] == ["刘洋"]
    default = matching.managers_for_work(
        work_text(pilot), user=personas.municipal_admin, institution=pilot.institution,
        stage=PROJECT_STAGE_OF[pilot.stage])
    assert default == []


def test_a_manager_in_the_pilots_field_carries_the_matching_level(personas):
    """Given a pilot in AI and a manager elsewhere who serves AI, then the manager is listed
    with matching's own level (not only a possible match), and once assigned shows one
    pilot and is marked as assigned here."""
    ai = IndustryField.objects.get(code="AI")
    make_profile(personas.manager, employer=personas.other_university, name="刘洋",
                 fields=("AI",), bio="人工智能视觉检测成果转化")
    pilot = make_pilot(personas, title="工业视觉检测应用研究", field=ai)
    with translation.override("en"):
        (row,) = candidates(pilot, personas.municipal_admin)
    assert row.level in {"Strong match", "Good match", "Partial match"}
    assert "both in the" in row.reasons
    assign(personas, pilot)
    (row,) = candidates(pilot, personas.municipal_admin)
    assert row.assigned_here and row.pilots == 1


def test_the_competences_asked_follow_the_pilots_stage(personas):
    """Given a manager competent in technology contracts, then the feasibility study (an
    evaluation: valuation, market, IP) names no competence of theirs, and once the pilot is
    in application and transfer (a transaction: contracts, law, finance) it does."""
    from tmhub.pilots import services
    from tmhub.pilots.tests.helpers import walk_report

    make_profile(personas.manager, employer=personas.university, name="刘洋",
                 competences=("CONTRACT",), bio="固态电池电解质材料的专利许可")
    pilot = make_pilot(personas)
    with translation.override("en"):
        (row,) = candidates(pilot, personas.municipal_admin)
        assert "competences for this stage" not in row.reasons
        assign(personas, pilot)
        walk_report(personas, pilot)
        pilot = services.step_pilot(pilot, "application", actor=personas.municipal_admin)
        (row,) = candidates(pilot, personas.municipal_admin)
        assert "competences for this stage: Technology contracts" in row.reasons
