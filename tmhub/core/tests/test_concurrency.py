"""Racing writes never answer 500 and never lose a write (issue 9, item 7).

Each race drives the real HTTP stack (a Django test `Client` per thread, the same UI form or API
endpoint a user posts to) from several threads at once. On SQLite the threads share one database
file, as `runserver`'s threads do (the in-memory test database uses table locks that no busy
timeout covers, so a fixture moves the test onto a file); on PostgreSQL each thread has its own
connection. To make the race certain rather than likely, the test itself holds the contested row
locked until every racer has read it and is waiting for the lock, then lets go.

Whoever loses either waits and then succeeds, or gets 409 "changed by someone else, reload"
(API: `{"code": "conflict"}`; UI: that message and a redirect back to the page), and the rows
and audit trail afterwards match exactly the writes that were answered as done.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction
from django.db.models import F
from django.test import Client

from conftest import client_for
from tmhub.core.models import ObjectChange, WorkflowEvent

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 4
CONFLICT_ZH = "该记录已被他人修改"


@pytest.fixture(autouse=True)
def shared_database(transactional_db, settings, tmp_path):
    """On SQLite, run the test on a database file that every thread opens (as in production).

    The in-memory test database (already migrated and seeded) is copied into the file; the
    memory connection is set aside and put back afterwards, so the rest of the suite is
    untouched. On PostgreSQL nothing changes: each thread opens its own connection.
    """
    if connection.vendor != "sqlite":
        yield
        return
    settings.MATCH_INDEX_DIR = tmp_path / "match-index"
    path = str(tmp_path / "race.sqlite3")
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    memory, memory_name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = path
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = memory_name
        connection.connection = memory


class _Arrival:
    """Execute wrapper: signals once when its thread starts waiting for the write lock (SQLite:
    BEGIN; PostgreSQL: the first SELECT … FOR UPDATE)."""

    def __init__(self, arrived: threading.Semaphore):
        self.arrived, self.done = arrived, False

    def __call__(self, execute, sql, params, many, context):
        if not self.done and (sql.lstrip().upper().startswith("BEGIN") or "FOR UPDATE" in sql):
            self.done = True
            self.arrived.release()
        return execute(sql, params, many, context)


@contextmanager
def _held(obj):
    """Hold `obj`'s row locked (SQLite: the database's write lock) on the test's connection."""
    if obj is None:
        yield
        return
    rows = type(obj).objects.filter(pk=obj.pk)
    with transaction.atomic():
        rows.select_for_update().get()
        if connection.vendor == "sqlite":
            rows.update(id=F("id"))  # a write takes the lock whatever the transaction mode
        yield


def race(*jobs, hold=None, keep_lock=False):
    """Run the jobs at once, one thread (and connection) each; return their results in order.

    `hold`: a record whose row stays locked until every racer has read what it needs and waits
    for the lock (so they all act on the same state); `keep_lock`: keep it until they finish.
    """
    arrived = threading.Semaphore(0)
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            with connection.execute_wrapper(_Arrival(arrived)):
                results[index] = job()
        except Exception as exc:  # noqa: BLE001 - a crash is a result the test asserts on
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    with _held(hold):
        for thread in threads:
            thread.start()
        if hold is not None:
            for _ in jobs:
                assert arrived.acquire(timeout=30), "a racer never reached the lock"
            time.sleep(0.3)  # each is now blocked on the lock, not just about to ask for it
        if keep_lock:
            _join(threads)
    _join(threads)
    return results


def _join(threads):
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"


@contextmanager
def short_lock_wait():
    """New connections give up waiting for a lock after half a second."""
    options = connection.settings_dict["OPTIONS"]
    saved = dict(options)
    if connection.vendor == "sqlite":
        options["timeout"] = 0.5
    else:
        options["options"] = "-c lock_timeout=500"
    try:
        yield
    finally:
        options.clear()
        options.update(saved)


def signed_in(user) -> Client:
    # Through conftest.client_for: the city's sessions complete their second factor.
    return client_for(user, Client(raise_request_exception=False))


def codes(responses) -> list:
    return [getattr(r, "status_code", r) for r in responses]


def api_post(client, url, data=None):
    return lambda: client.post(url, data or {}, content_type="application/json")


def events(obj, to_state) -> int:
    return WorkflowEvent.objects.filter(object_id=str(obj.pk), to_state=to_state).count()


def follow_message(client, response) -> str:
    return client.get(response["Location"]).content.decode()


# --- receipts: nothing lost ---------------------------------------------------------------


@pytest.fixture
def chain(personas):
    from tmhub.transfer.tests.chain import make_chain

    return make_chain(personas)


def test_concurrent_api_receipts_on_one_contract_are_all_stored(personas, chain):
    contract = chain.contract
    receipts, changes = contract.receipts.count(), ObjectChange.objects.count()
    url = f"/api/v1/contracts/{contract.pk}/receipts/"
    jobs = [
        api_post(
            signed_in(personas.manager), url, {"received_on": "2025-05-01", "amount_fen": 1000 + n}
        )
        for n in range(RACERS)
    ]
    assert codes(race(*jobs, hold=contract)) == [201] * RACERS
    assert contract.receipts.count() == receipts + RACERS
    assert sorted(
        contract.receipts.filter(received_on="2025-05-01").values_list("amount_fen", flat=True)
    ) == [1000 + n for n in range(RACERS)]
    assert ObjectChange.objects.count() == changes + RACERS


def test_concurrent_receipt_forms_on_one_contract_are_all_stored(personas, chain):
    contract = chain.contract
    receipts = contract.receipts.count()
    page = f"/transfer/contracts/{contract.pk}/"
    url = f"/transfer/contracts/{contract.pk}/receipts/"
    clients = [signed_in(personas.manager) for _ in range(RACERS)]
    jobs = [
        (
            lambda c=c, n=n: c.post(
                url,
                {"r-received_on": "2025-05-01", "r-amount": f"{n + 1}", "r-note": ""},
                HTTP_REFERER=page,
            )
        )
        for n, c in enumerate(clients)
    ]
    responses = race(*jobs, hold=contract)
    assert codes(responses) == [302] * RACERS
    assert contract.receipts.count() == receipts + RACERS


# --- lock timeouts: 409, nothing half-saved -----------------------------------------------


def test_a_lock_held_too_long_answers_409_in_the_api_and_saves_nothing(personas, chain):
    contract = chain.contract
    receipts, changes = contract.receipts.count(), ObjectChange.objects.count()
    url = f"/api/v1/contracts/{contract.pk}/receipts/"
    with short_lock_wait():
        responses = race(
            api_post(
                signed_in(personas.manager), url, {"received_on": "2025-05-01", "amount_fen": 1000}
            ),
            hold=contract,
            keep_lock=True,
        )
    assert codes(responses) == [409]
    assert responses[0].json()["code"] == "conflict"
    assert CONFLICT_ZH in responses[0].json()["detail"]
    assert contract.receipts.count() == receipts
    assert ObjectChange.objects.count() == changes


def test_a_lock_held_too_long_sends_a_form_back_to_its_page_with_a_message(personas, chain):
    contract = chain.contract
    receipts = contract.receipts.count()
    page = f"/transfer/contracts/{contract.pk}/"
    url = f"/transfer/contracts/{contract.pk}/receipts/"
    form, bare = signed_in(personas.manager), signed_in(personas.manager)
    data = {"r-received_on": "2025-05-01", "r-amount": "10", "r-note": ""}
    htmx = signed_in(personas.manager)
    with short_lock_wait():
        responses = race(
            lambda: form.post(url, data, HTTP_REFERER=page),
            lambda: bare.post(url, data),
            lambda: htmx.post(
                url, data, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=f"http://testserver{page}"
            ),
            hold=contract,
            keep_lock=True,
        )
    redirected, page_409, htmx_409 = responses
    # A form post goes back where it came from, the message waiting there.
    assert (redirected.status_code, redirected["Location"]) == (303, page)
    assert CONFLICT_ZH in follow_message(form, redirected)
    # Without a page to go back to: a 409 page that says what happened (never a 500).
    assert page_409.status_code == 409 and CONFLICT_ZH in page_409.content.decode()
    # HTMX: 409 and a full redirect to the page the user is on, where the message shows.
    assert htmx_409.status_code == 409
    assert htmx_409["HX-Redirect"] == f"http://testserver{page}"
    assert CONFLICT_ZH in htmx.get(page).content.decode()
    assert contract.receipts.count() == receipts


# --- lost races: one wins, the other 409 ----------------------------------------------------


def _one_won(responses, ok=200):
    assert sorted(codes(responses)) == [ok, 409], codes(responses)
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["code"] == "conflict"
    return next(r for r in responses if r.status_code == ok)


@pytest.fixture
def submitted_manager(personas):
    from tmhub.talent.choices import RegistrationStatus as S
    from tmhub.talent.tests.helpers import make_profile, register

    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    return register(
        profile,
        employer_admin=personas.institution_admin,
        municipal=personas.municipal_admin,
        upto=S.SUBMITTED,
    )


def test_two_api_endorsements_of_one_manager_registration(personas, submitted_manager):
    registration = submitted_manager
    url = f"/api/v1/registrations/{registration.pk}/transition/"
    won = _one_won(
        race(
            *[
                api_post(signed_in(personas.institution_admin), url, {"target": "endorsed"})
                for _ in range(2)
            ],
            hold=registration,
        )
    )
    assert won.json()["status"] == "endorsed"
    registration.refresh_from_db()
    assert registration.status == "endorsed"
    assert events(registration, "endorsed") == 1


def test_two_reviewers_deciding_one_manager_registration_in_the_ui(personas, submitted_manager):
    from tmhub.talent import registration as reg
    from tmhub.talent.choices import RegistrationStatus as S

    registration = reg.transition_registration(
        submitted_manager, S.ENDORSED, actor=personas.institution_admin
    )
    registration = reg.transition_registration(
        registration, S.UNDER_REVIEW, actor=personas.municipal_admin
    )
    page = f"/talent/registrations/{registration.pk}/"
    approve, reject = signed_in(personas.municipal_admin), signed_in(personas.municipal_admin)
    responses = race(
        lambda: approve.post(f"{page}to/registered/", {}, HTTP_REFERER=page),
        lambda: reject.post(f"{page}to/rejected/", {"reason": "材料不全"}, HTTP_REFERER=page),
        hold=registration,
    )
    assert codes(responses) == [302, 302]
    registration.refresh_from_db()
    assert registration.status in ("registered", "rejected")
    assert events(registration, "registered") + events(registration, "rejected") == 1
    loser = reject if registration.status == "registered" else approve
    loser_response = responses[0] if loser is approve else responses[1]
    assert CONFLICT_ZH in follow_message(loser, loser_response)


@pytest.fixture
def submitted_institution(personas):
    from tmhub.orgs import services
    from tmhub.orgs.choices import RegistrationStatus as S

    registration = services.create_registration(
        actor=personas.institution_admin,
        organization=personas.university,
        premises_address="海淀区清华园1号",
        fulltime_staff=12,
        has_written_rules=True,
        business_scope="技术转移、知识产权运营",
    )
    return services.transition_registration(
        registration, S.SUBMITTED, actor=personas.institution_admin
    )


def test_two_api_approvals_of_one_institution_registration(personas, submitted_institution):
    registration = submitted_institution
    url = f"/api/v1/institution-registrations/{registration.pk}/transition/"
    won = _one_won(
        race(
            *[
                api_post(signed_in(personas.municipal_admin), url, {"target": "approved"})
                for _ in range(2)
            ],
            hold=registration,
        )
    )
    registration.refresh_from_db()
    assert registration.status == "approved"
    assert won.json()["registry_number"] == registration.registry_number
    assert events(registration, "approved") == 1


def test_two_ui_decisions_on_one_institution_registration(personas, submitted_institution):
    registration = submitted_institution
    page = f"/orgs/registrations/{registration.pk}/"
    approve, reject = signed_in(personas.municipal_admin), signed_in(personas.municipal_admin)
    responses = race(
        lambda: approve.post(f"{page}to/approved/", {}, HTTP_REFERER=page),
        lambda: reject.post(f"{page}to/rejected/", {"reason": "不符合条件"}, HTTP_REFERER=page),
        hold=registration,
    )
    assert codes(responses) == [302, 302]
    registration.refresh_from_db()
    assert events(registration, "approved") + events(registration, "rejected") == 1
    loser, response = (
        (reject, responses[1]) if registration.status == "approved" else (approve, responses[0])
    )
    assert CONFLICT_ZH in follow_message(loser, response)


def test_two_stage_moves_from_the_same_version(personas):
    from tmhub.transfer import services
    from tmhub.transfer.tests.chain import record_report

    project = services.create_project(
        actor=personas.manager, institution=personas.university, title="并发"
    )
    # Both moves must be allowed on their own (评价 opens with a report), so that whichever
    # waits for the lock loses on the version alone, never on the gate.
    record_report(project, personas.manager)
    project.refresh_from_db()
    url = f"/api/v1/projects/{project.pk}/transition/"
    won = _one_won(
        race(
            api_post(
                signed_in(personas.manager),
                url,
                {"target": "cultivation", "version": project.version},
            ),
            api_post(
                signed_in(personas.institution_admin),
                url,
                {"target": "evaluation", "version": project.version},
            ),
            hold=project,
        )
    )
    project.refresh_from_db()
    assert project.stage == won.json()["stage"]
    assert project.version == won.json()["version"]
    assert events(project, "cultivation") + events(project, "evaluation") == 1


def test_two_approvals_of_one_reward_split(personas, chain):
    split = chain.split_draft
    url = f"/api/v1/reward-splits/{split.pk}/approve/"
    won = _one_won(
        race(*[api_post(signed_in(personas.institution_admin), url) for _ in range(2)], hold=split)
    )
    split.refresh_from_db()
    assert split.status == "approved" and won.json()["number"] == split.number
    assert events(split, "approved") == 1
