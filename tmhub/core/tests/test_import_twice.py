"""An import committed twice lands once (issue 10, item 7): every import kind of the platform
(organisations, technology managers, training courses, training attendance).

Three ways to commit the same ImportJob twice: two POSTs one after the other; two requests
that both loaded the job before either committed (the second holds a stale copy); and, on
PostgreSQL, two POSTs at the same moment on two connections. Each time the rows exist once and
the second commit is refused with a message, never a second set of rows or a 500.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from conftest import client_for
from tmhub.accounts.models import User
from tmhub.core.models import ImportJob, ObjectChange
from tmhub.core.tabular.importing import REGISTRY, commit_import, start_import
from tmhub.orgs.models import Organization
from tmhub.talent.models import ManagerProfile
from tmhub.talent.tests.helpers import resident_id, xlsx_upload
from tmhub.training.models import Attendance, Course
from tmhub.training.tests.helpers import (
    given_manager,
    given_programme,
    given_provider,
    given_running_cohort,
)

KINDS = ["organizations", "managers", "training-courses", "training-attendance"]


@dataclass
class GivenImport:
    """A validated import job, the rows it lands, and the table its first insert writes."""

    job: ImportJob
    actor: object
    landed: object  # () -> int: how many of the imported records exist
    rows: int
    first_table: type  # model whose table the commit writes first (to hold it in the race)


def _organizations(personas) -> GivenImport:
    upload = xlsx_upload(
        ["名称", "类型", "所在区"],
        [["导入甲公司", "企业", "海淀区"], ["导入乙研究院", "research_institute", "朝阳区"]],
        name="orgs.xlsx",
    )
    job = start_import(REGISTRY["organizations"], upload, actor=personas.municipal_admin)
    landed = Organization.objects.filter(name__in=["导入甲公司", "导入乙研究院"]).count
    return GivenImport(job, personas.municipal_admin, landed, 2, Organization)


def _managers(personas) -> GivenImport:
    upload = xlsx_upload(
        ["姓名", "身份证号", "工作单位", "工作所在区"],
        [
            ["导入甲", resident_id(811), "测试大学", "海淀区"],
            ["导入乙", resident_id(812), "测试大学", "海淀区"],
        ],
    )
    job = start_import(REGISTRY["managers"], upload, actor=personas.institution_admin)
    landed = ManagerProfile.objects.filter(full_name__in=["导入甲", "导入乙"]).count
    return GivenImport(job, personas.institution_admin, landed, 2, User)


def _courses(personas) -> GivenImport:
    programme = given_programme(personas, given_provider(personas), code="import-twice")
    upload = xlsx_upload(
        ["项目代码", "课程代码", "课程名称", "模块", "学时"],
        [
            [programme.code, "T1", "导入课程一", "general", "4"],
            [programme.code, "T2", "导入课程二", "policy", "2"],
        ],
    )
    job = start_import(REGISTRY["training-courses"], upload, actor=personas.institution_admin)
    landed = Course.objects.filter(programme=programme, code__in=["T1", "T2"]).count
    return GivenImport(job, personas.institution_admin, landed, 2, Course)


def _attendance(personas) -> GivenImport:
    other = given_manager(personas, "import_twice_m2")
    cohort, enrolments, sessions, _exam = given_running_cohort(
        personas, [personas.manager, other], code="import-twice"
    )
    date = sessions[0].date.isoformat()
    upload = xlsx_upload(
        ["班次代码", "日期", "课程代码", "用户名", "出勤"],
        [
            [cohort.code, date, "G1", personas.manager.username, "present"],
            [cohort.code, date, "G1", other.username, "absent"],
        ],
    )
    job = start_import(REGISTRY["training-attendance"], upload, actor=personas.institution_admin)
    landed = Attendance.objects.filter(session=sessions[0]).count
    return GivenImport(job, personas.institution_admin, landed, 2, Attendance)


GIVEN = {
    "organizations": _organizations,
    "managers": _managers,
    "training-courses": _courses,
    "training-attendance": _attendance,
}


@pytest.fixture(params=KINDS)
def given(request, personas) -> GivenImport:
    given = GIVEN[request.param](personas)
    assert given.job.status == ImportJob.Status.VALIDATED, given.job.report
    assert given.landed() == 0
    return given


def _messages(client, response) -> list[tuple[str, str]]:
    """(level tag, text) of the messages the redirect carries, read on the page it leads to."""
    page = client.get(response["Location"])
    return [(m.level_tag, str(m)) for m in page.context["messages"]]


def _assert_landed_once(given, changes_after_first=None):
    job = ImportJob.objects.get(pk=given.job.pk)
    assert job.status == ImportJob.Status.COMMITTED, job.report
    assert job.created_rows == given.rows
    assert given.landed() == given.rows
    if changes_after_first is not None:  # the second commit wrote no audit rows either
        assert ObjectChange.objects.count() == changes_after_first


# --- two POSTs, one after the other -------------------------------------------------------


@pytest.mark.django_db
def test_given_a_committed_import_when_its_commit_is_posted_again_then_it_is_refused(given):
    client = client_for(given.actor)
    url = reverse("core:import-commit", args=[given.job.pk])
    first = client.post(url)
    assert first.status_code == 302
    assert [level for level, _text in _messages(client, first)] == ["success"]
    changes = ObjectChange.objects.count()
    # When the same commit is posted again
    second = client.post(url)
    # Then it is refused with a message and lands nothing more
    assert second.status_code == 302
    ((level, text),) = _messages(client, second)
    assert level == "error" and text
    _assert_landed_once(given, changes)


# --- two requests that loaded the job before either committed -----------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("given", KINDS, indirect=True)
def test_given_two_copies_of_one_import_when_both_commit_then_the_second_is_refused(given):
    first_copy = ImportJob.objects.get(pk=given.job.pk)
    second_copy = ImportJob.objects.get(pk=given.job.pk)  # loaded before the first commit
    commit_import(first_copy, actor=given.actor)
    changes = ObjectChange.objects.count()
    with pytest.raises(ValidationError) as refused:
        commit_import(second_copy, actor=given.actor)
    assert refused.value.code == "already_committed" and all(refused.value.messages)
    _assert_landed_once(given, changes)


# --- PostgreSQL: two POSTs at the same moment, two connections -----------------------------


def _waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _race_commits(given, clients):
    """Both clients POST the commit while the test holds the table the commit writes first,
    so both are past reading the job before either can write; then the table is let go."""
    url = reverse("core:import-commit", args=[given.job.pk])
    responses: list = [None] * len(clients)

    def post(index, client):
        try:
            responses[index] = client.post(url)
        except Exception as exc:  # noqa: BLE001 - a crash is a result the test asserts on
            responses[index] = exc
        finally:
            connections.close_all()

    table = connection.ops.quote_name(given.first_table._meta.db_table)
    threads = [threading.Thread(target=post, args=(n, c)) for n, c in enumerate(clients)]
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while _waiting_for_locks() < len(clients) and time.monotonic() < deadline:
            time.sleep(0.05)
        cursor.execute("COMMIT")
    for thread in threads:
        thread.join(60)
    assert not any(t.is_alive() for t in threads), "a commit hung"
    return responses


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("given", KINDS, indirect=True)
def test_given_two_commits_at_once_on_postgresql_then_the_rows_land_once(given):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (two real connections and row locks)")
    clients = [Client(raise_request_exception=False) for _ in range(2)]
    for client in clients:
        client_for(given.actor, client)  # the city completes its second factor
    responses = _race_commits(given, clients)
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    outcomes = sorted(
        level for c, r in zip(clients, responses, strict=True) for level, _text in _messages(c, r)
    )
    assert outcomes == ["error", "success"]
    _assert_landed_once(given)
