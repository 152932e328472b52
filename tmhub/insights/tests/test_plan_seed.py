"""The seeded plan equals its text: 京科发〔2022〕14号 with its 8 key tasks and 3 guarantee
measures, each key task with the departments in parentheses after it, in the plan's order."""

import re
from pathlib import Path

import pytest

from tmhub.insights.choices import DepartmentRole, TaskKind
from tmhub.insights.tests.helpers import seeded_plan

pytestmark = pytest.mark.django_db

TEXT = Path("/work/shared/data/jingkefa-2022-14.txt")


def _plan_text():
    if not TEXT.exists():
        pytest.skip("the plan's text is not on this machine")
    return TEXT.read_text(encoding="utf-8")


def _key_tasks_from_text():
    """(number, title, [department names]) read from 三、重点任务 independently of plan_data:
    every numbered paragraph up to 四、保障措施, its departments in its last parentheses."""
    section = _plan_text().split("三、重点任务")[1].split("四、保障措施")[0]
    flat = re.sub(r"\s+", "", section)
    found = []
    for number, title, body in re.findall(r"(\d)\.(.+?)。(.*?)(?=\d\.|$)", flat):
        departments = re.findall(r"[(（]([^()（）]+)[)）]$", body)[0]
        names = re.split(r"[,，、]", departments)
        lead_group = re.split(r"[,，]", departments)[0].split("、")
        found.append((int(number), title, names, lead_group))
    return found


def test_the_plan_has_its_number_period_and_target():
    """Given the seed, then the plan is 京科发〔2022〕14号 for 2022–2025, its target 500."""
    plan = seeded_plan()
    assert plan.number == "京科发〔2022〕14号"
    assert (plan.start.year, plan.end.isoformat()) == (2022, "2025-12-31")
    target = plan.targets.get()
    assert target.target_value == 500 and "500" in target.basis
    assert target.basis.replace(",", "，") in _plan_text().replace(",", "，")


def test_the_key_tasks_and_their_departments_equal_the_plan_text():
    """Given the plan's text, when its key tasks are read from it, then the seeded key tasks
    have the same numbers, titles and departments in the same order, the first group lead."""
    expected = _key_tasks_from_text()
    assert len(expected) == 8
    tasks = list(seeded_plan().tasks.filter(kind=TaskKind.KEY_TASK).order_by("number"))
    got = []
    for task in tasks:
        rows = task.departments_in_order()
        got.append((task.number, task.title, [d.plan_name for d in rows],
                    [d.plan_name for d in rows if d.role == DepartmentRole.LEAD]))
        assert task.text and task.text[:20] in re.sub(r"\s+", "", _plan_text())
    assert got == expected


def test_the_guarantee_measures_are_the_three_of_the_plan():
    measures = list(seeded_plan().tasks.filter(kind=TaskKind.GUARANTEE).order_by("number"))
    section = re.sub(r"\s+", "", _plan_text().split("四、保障措施")[1])
    titles = re.findall(r"(加强组织保障|发挥政策合力|注重宣传推广)。", section)
    assert [m.title for m in measures] == titles == ["加强组织保障", "发挥政策合力", "注重宣传推广"]
    assert "联席会" in measures[0].text
    assert all(not m.departments.exists() for m in measures)


def test_a_department_named_differently_breaks_the_comparison():
    """Given one department swapped, then the text comparison no longer holds (the test
    above reads the departments, not only their count)."""
    task = seeded_plan().tasks.get(kind=TaskKind.KEY_TASK, number=1)
    first, second = task.departments_in_order()[2:4]
    assert (first.plan_name, second.plan_name) == ("市教委", "市人才工作局")
    expected = _key_tasks_from_text()[0][2]
    names = [d.plan_name for d in task.departments_in_order()]
    names[2], names[3] = names[3], names[2]
    assert names != expected
