"""Schemathesis against our own OpenAPI schema: the API answers as documented.

Every generated request gets no 5xx, a status code the schema documents, and a body matching
the schema documented for that code:

- `test_no_server_errors`: an anonymous caller and the municipal administrator, with every
  schemathesis phase (explicit examples, coverage of boundaries and invalid values, fuzzing);
- `test_institution_staff_get_documented_answers`: every signed-in persona (institution
  administrator, manager, enterprise, service provider, district officer, reviewer) over real
  data (a project with activities, confidential and published achievements of two
  universities, demands, a contract with a reward split, manager profiles and registrations,
  an institution registration, a training cohort with an enrolment), with examples and
  fuzzing. Each case is sent with the ids it was generated with and, on routes with ids, again
  with the ids of seeded records, so detail responses are checked with real content.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from conftest import PASSWORD
from tmhub.accounts.services import create_user, grant_membership
from tmhub.accounts.tokens import issue_token
from tmhub.core.actors import SYSTEM
from tmhub.core.roles import Role
from tmhub.orgs import services as orgs
from tmhub.talent.choices import RegistrationStatus
from tmhub.talent.tests.helpers import make_profile, register
from tmhub.training import services as training
from tmhub.training.tests.helpers import given_cohort, given_programme, given_provider
from tmhub.transfer import services as transfer
from tmhub.transfer.tests.chain import INVENTORS, make_chain

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
# The same schema for the seeded personas without the coverage phase: its hundreds of boundary
# and invalid-value cases per operation are covered above, and would cost minutes here.
fuzzed = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
fuzzed.config.phases.coverage.enabled = False

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Every signed-in persona of the permission matrix: each sees its own slice of the same records.
STAFF = ("institution_admin", "manager", "enterprise", "service_provider", "district_officer",
         "reviewer")


@dataclass
class World:
    keys: dict  # persona name -> API token key
    ids: dict  # first path segment after /api/v1/ (or a path parameter's name) -> a real id

    def with_real_ids(self, case):
        """`case` with its path parameters pointing at seeded records (None: nothing to swap)."""
        params = dict(case.path_parameters or {})
        resource = case.path.split("/")[3]
        swapped = False
        for name in params:
            key = resource if name == "id" else name
            if key == "auth":
                key = "tokens"
            if key in self.ids:
                params[name], swapped = self.ids[key], True
        if not swapped:
            return None
        real = case.derive(keep_auth=True)
        real.path_parameters = params
        return real


@pytest.fixture
def world(personas) -> World:
    chain = make_chain(personas)
    # Another university's published achievement: its confidential fields are dropped for
    # everyone outside that university.
    other_admin = create_user(actor=SYSTEM, username="s_other_tto", password=PASSWORD)
    grant_membership(actor=SYSTEM, user=other_admin, role=Role.INSTITUTION_ADMIN,
                     organization=personas.other_university)
    elsewhere = transfer.create_achievement(
        actor=other_admin, owner=personas.other_university, title="柔性压力传感器",
        abstract="可穿戴柔性传感材料。", keywords="传感器", trl=5, inventors=INVENTORS,
        asking_terms="面议", publish_asking_terms=False)
    transfer.publish_achievement(elsewhere, actor=other_admin)
    profile = make_profile(user=personas.manager, employer=personas.university,
                           district=personas.haidian)
    registration = register(profile, employer_admin=personas.institution_admin,
                            municipal=personas.municipal_admin, upto=RegistrationStatus.SUBMITTED)
    # An independent registered manager: no employer, no discipline (nulls), and outside the
    # institution administrator's scope (private fields dropped).
    independent = make_profile(name="李娜", fields=("MED",), district=personas.chaoyang)
    register(independent, employer_admin=personas.municipal_admin,
             municipal=personas.municipal_admin)
    institution = orgs.create_registration(
        actor=personas.institution_admin, organization=personas.university,
        premises_address="北京市海淀区清华园1号", fulltime_staff=3, business_scope="技术转移",
        rules_summary="成果转化管理办法")
    programme = given_programme(personas, given_provider(personas))
    cohort = given_cohort(personas, programme)
    enrolment = training.request_enrolment(cohort, actor=personas.manager)
    keys = {name: issue_token(user=getattr(personas, name))[1] for name in STAFF}
    spare, _key = issue_token(user=personas.manager, name="spare")  # for DELETE with a real id
    ids = {
        "achievements": chain.draft.pk, "demands": chain.demand_published.pk,
        "projects": chain.project.pk, "contracts": chain.contract.pk,
        "reward-splits": chain.split_draft.pk, "organizations": personas.university.pk,
        "managers": independent.pk, "registrations": registration.pk,
        "institution-registrations": institution.pk, "cohorts": cohort.pk,
        "enrolments": enrolment.pk, "tokens": spare.pk,
        "achievement_pk": chain.published.pk, "demand_pk": chain.demand_published.pk,
        "project_pk": chain.project.pk,
    }
    return World(keys=keys, ids=ids)


@pytest.mark.fuzz
@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=2, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, personas):
    _token, key = issue_token(user=personas.municipal_admin)
    case.call_and_validate(checks=CHECKS)
    case.call_and_validate(headers={"Authorization": f"Token {key}"}, checks=CHECKS)


@pytest.mark.fuzz
@pytest.mark.django_db
@fuzzed.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_institution_staff_get_documented_answers(case, world):
    real = world.with_real_ids(case)
    for key in world.keys.values():
        headers = {"Authorization": f"Token {key}"}
        case.call_and_validate(headers=headers, checks=CHECKS)
        if real is not None:
            real.call_and_validate(headers=headers, checks=CHECKS)


# --- the schema's own promises, checked without fuzzing (fast, on every database) ------------

@pytest.fixture
def spec(db):
    return Client().get("/api/schema/?format=json").json()


def test_every_operation_documents_its_error_answers(spec):
    error = {"$ref": "#/components/schemas/Error"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            codes = operation["responses"]
            label = f"{method.upper()} {path}"
            if method in ("post", "put", "patch", "delete"):
                assert {"400", "409"} <= set(codes), label
                assert codes["409"]["content"]["application/json"]["schema"] == error, label
            if "requestBody" in operation:
                assert "415" in codes, label
            if "{" in path:
                assert "404" in codes, label
            if any(operation.get("security", [])):
                assert "401" in codes, label
    assert {"400", "409", "429"} <= set(spec["paths"]["/api/v1/auth/token/"]["post"]["responses"])
    assert "404" in spec["paths"]["/api/v1/projects/"]["get"]["responses"]  # page past the end
    schemas = spec["components"]["schemas"]
    assert schemas["Error"]["required"] == ["detail", "code"]
    assert set(schemas["Error"]["properties"]) == {"detail", "code", "fields"}


def test_fields_dropped_for_some_callers_are_not_required(spec):
    from tmhub.orgs.api.serializers import OrganizationSerializer
    from tmhub.talent.api.serializers import ManagerSerializer
    from tmhub.transfer.api.serializers import AchievementSerializer, DemandSerializer

    schemas = spec["components"]["schemas"]
    for component, serializer in [("Manager", ManagerSerializer),
                                  ("Achievement", AchievementSerializer),
                                  ("Demand", DemandSerializer),
                                  ("Organization", OrganizationSerializer)]:
        required = set(schemas[component].get("required", []))
        assert serializer.PRIVATE_FIELDS, component
        assert not required & set(serializer.PRIVATE_FIELDS), component
    assert "full_name" in schemas["Manager"]["required"]  # the public ones still are


def test_nullable_values_and_list_answers_are_declared(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["Manager"]["properties"]["discipline"]["nullable"]
    assert schemas["Manager"]["properties"]["work_district"]["nullable"]
    assert schemas["Assignment"]["properties"]["released_on"]["nullable"]
    assert schemas["IPRecord"]["properties"]["granted_on"]["nullable"]
    # Required on input, but a split recorded without a contract answers null.
    assert schemas["RewardSplit"]["properties"]["contract"]["nullable"]
    assert "nullable" not in schemas["RewardSplitRequest"]["properties"]["contract"]
    activities = spec["paths"]["/api/v1/projects/{id}/activities/"]
    listed = activities["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed == {"type": "array", "items": {"$ref": "#/components/schemas/Activity"}}
    assert [p["name"] for p in activities["get"]["parameters"]] == ["id"]
    assert "201" in activities["post"]["responses"]
    assert "201" in spec["paths"]["/api/v1/contracts/{id}/receipts/"]["post"]["responses"]
    assert "201" in spec["paths"]["/api/v1/cohorts/{id}/enrol/"]["post"]["responses"]
    verify = spec["paths"]["/api/v1/certificates/verify/{number}/"]["get"]["responses"]
    assert verify["404"]["content"] == verify["200"]["content"]  # unknown: same shape


def test_the_enrol_body_is_documented_and_validated(spec, personas):
    """POST /cohorts/{id}/enrol/ reads a `motivation`: documented, and a body that is not an
    object is a 400 (it was a 500 while the action read `request.data.get` undeclared)."""
    from rest_framework.test import APIClient

    from tmhub.training.tests.helpers import given_cohort, given_programme, given_provider

    body = spec["paths"]["/api/v1/cohorts/{id}/enrol/"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    assert "motivation" in spec["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    cohort = given_cohort(personas, given_programme(personas, given_provider(personas)))
    client = APIClient()
    client.force_authenticate(personas.manager)
    url = f"/api/v1/cohorts/{cohort.pk}/enrol/"
    refused = client.post(url, [1, 2], format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid"
    enrolled = client.post(url, {"motivation": "提升技术转移能力"}, format="json")
    assert enrolled.status_code == 201 and enrolled.json()["motivation"] == "提升技术转移能力"
