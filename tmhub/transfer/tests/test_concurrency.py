"""Two people editing the same project at once do not lose an update (PostgreSQL, two
connections): services re-read the row under `select_for_update` and apply only their fields;
a form posted from a stale page is refused by the version check."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tmhub.transfer import services
from tmhub.transfer.models import Project
from tmhub.transfer.tests.chain import record_report

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (two real connections and row locks)")


def _race(*jobs):
    barrier = threading.Barrier(len(jobs))
    errors, results = [], []

    def run(job):
        from django.db import connections

        try:
            barrier.wait()
            results.append(job())
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, errors


def test_two_editors_of_different_fields_both_keep_their_change(personas):
    project = services.create_project(actor=personas.manager, institution=personas.university,
                                      title="原标题")
    stale_a, stale_b = Project.objects.get(pk=project.pk), Project.objects.get(pk=project.pk)
    results, errors = _race(
        lambda: services.update_project(stale_a, actor=personas.manager, title="新标题"),
        lambda: services.update_project(stale_b, actor=personas.institution_admin,
                                        description="新描述"),
    )
    assert not errors
    project.refresh_from_db()
    assert (project.title, project.description) == ("新标题", "新描述")
    assert project.version == 3


def test_two_moves_from_the_same_page_cannot_both_win(personas):
    project = services.create_project(actor=personas.manager, institution=personas.university,
                                      title="并发")
    record_report(project, personas.manager)  # both moves pass their gates
    project.refresh_from_db()
    version = project.version
    results, errors = _race(
        lambda: services.move_project(project, "cultivation", actor=personas.manager,
                                      expected_version=version),
        lambda: services.move_project(project, "evaluation", actor=personas.institution_admin,
                                      expected_version=version),
    )
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], ValidationError)
    project.refresh_from_db()
    assert project.stage == results[0].stage
