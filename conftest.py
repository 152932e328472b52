"""Named personas shared by every test module (ARCHITECTURE §8).

Each persona is made through the services, the way the platform itself creates people.
"""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client

from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.choices import Department, OrgKind
from tmhub.core.models import District
from tmhub.core.roles import Role
from tmhub.core.tests.browser import browser_page  # noqa: F401 (shared Playwright fixture)
from tmhub.orgs.services import create_organization

# Tests that render every page (as every persona, in both languages) or seed the whole demo: what
# they check does not depend on the database, so the SQLite suite runs them and the PostgreSQL
# suite, beside it on the other core, does not run them twice (CI time).
sqlite_suite_only = pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="renders pages or seeds the demo; the SQLite suite runs it")

PASSWORD = "Persona-pass-2025"


@dataclass
class Personas:
    municipal_admin: object
    department_officer: object
    health_officer: object
    district_officer: object
    institution_admin: object
    manager: object
    enterprise: object
    service_provider: object
    reviewer: object
    outsider: object
    university: object  # in Haidian, administered by institution_admin
    other_university: object  # in Chaoyang, nobody's
    hospital: object
    company: object
    provider_org: object
    haidian: object
    chaoyang: object

    def signed_in(self):
        """(name, user) for every signed-in persona."""
        names = [
            "municipal_admin",
            "department_officer",
            "health_officer",
            "district_officer",
            "institution_admin",
            "manager",
            "enterprise",
            "service_provider",
            "reviewer",
            "outsider",
        ]
        return [(n, getattr(self, n)) for n in names]


def client_for(user, client=None):
    """A test client signed in as `user` (None: anonymous). For a user whose role needs
    two-factor sign-in the session also completes the second factor for real: a confirmed
    authenticator (TOTP device) is made for this client and its current code is entered on the
    verification page, as a person would."""
    client = client or Client()
    if user is not None:
        client.force_login(user)
        complete_second_factor(client, user)
    return client


def complete_second_factor(client, user):
    """Enter a real TOTP code for `user` on the verification page when their role requires
    two-factor sign-in (a no-op otherwise). Each call makes its own authenticator, so two
    sign-ins within one 30-second step do not reuse a code."""
    from tmhub.accounts import two_factor

    if not two_factor.requires_two_factor(user):
        return
    response = client.post("/accounts/two-factor/verify/", {"token": totp_code_for(user)})
    assert response.status_code == 302, "the second factor was not accepted"


def totp_code_for(user) -> str:
    """A new confirmed authenticator of `user` and its current code (as a phone shows it)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{code:06d}"


@pytest.fixture(autouse=True)
def _audit_guard():
    """Fail a test whose application code saved a tracked record without an audit row
    (tmhub/core/tests/audit_guard.py says what is tracked and why; TMHUB_AUDIT_GUARD=0 turns it
    off). Defined first, so it sees the writes of every other fixture of the test too."""
    from tmhub.core.tests import audit_guard

    if not audit_guard.ENABLED:
        yield
        return
    guard = audit_guard.AuditGuard().start()
    try:
        yield guard
    finally:
        guard.stop()
    failure = guard.failure()
    if failure:
        pytest.fail(failure, pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Before any fixture is torn down, while the test's transaction is still open, the audit
    guard forgets the writes that were rolled back."""
    guard = getattr(item, "funcargs", {}).get("_audit_guard")
    if guard is not None:
        guard.settle()
    return (yield)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rate-limit counters are keyed by ids that the
    rolled-back database hands out again in the next test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Put back the migration-seeded taxonomies when a transactional test flushed them."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_db:
        request.getfixturevalue(
            "transactional_db"
            if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames
            else "db"
        )
        from tmhub.core.reference_data import ensure_reference_data

        ensure_reference_data()


@pytest.fixture
def personas(db):
    haidian = District.objects.get(code="110108")
    chaoyang = District.objects.get(code="110105")
    org = lambda name, kind, district, code: create_organization(  # noqa: E731
        actor=SYSTEM,
        name=name,
        kind=kind,
        district=district,
        credit_code=code,
        contact_phone="010-62780000",
        contact_email="contact@example.cn",
    )
    university = org("测试大学", OrgKind.UNIVERSITY, haidian, "12110000400000017P")
    other_university = org("另一所大学", OrgKind.UNIVERSITY, chaoyang, None)
    hospital = org("测试医院", OrgKind.MEDICAL, chaoyang, None)
    company = org("测试科技有限公司", OrgKind.ENTERPRISE, chaoyang, None)
    provider_org = org("测试知识产权代理", OrgKind.IP_AGENCY, haidian, None)

    def person(username, role=None, **scope):
        user = create_user(
            actor=SYSTEM,
            username=username,
            password=PASSWORD,
            email=f"{username}@example.cn",
            display_name=username,
        )
        if role:
            grant_membership(actor=SYSTEM, user=user, role=role, **scope)
        return user

    return Personas(
        municipal_admin=person("p_municipal", Role.MUNICIPAL_ADMIN),
        department_officer=person(
            "p_edu", Role.DEPARTMENT_OFFICER, department=Department.EDUCATION
        ),
        health_officer=person("p_health", Role.DEPARTMENT_OFFICER, department=Department.HEALTH),
        district_officer=person("p_haidian", Role.DISTRICT_OFFICER, district=haidian),
        institution_admin=person("p_tto", Role.INSTITUTION_ADMIN, organization=university),
        manager=person("p_manager", Role.MANAGER, organization=university),
        enterprise=person("p_enterprise", Role.ENTERPRISE, organization=company),
        service_provider=person("p_provider", Role.SERVICE_PROVIDER, organization=provider_org),
        reviewer=person("p_reviewer", Role.REVIEWER),
        outsider=person("p_outsider"),
        university=university,
        other_university=other_university,
        hospital=hospital,
        company=company,
        provider_org=provider_org,
        haidian=haidian,
        chaoyang=chaoyang,
    )
