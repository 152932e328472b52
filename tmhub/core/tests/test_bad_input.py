"""No 500 from bad input (issue 9, item 8): page numbers, ids and JSON a client made up.

A page beyond any list is a 404, ids that no database column can hold match nothing (a field
error in a form, a 400 from an API filter), and JSON nested thousands deep is a 400
`parse_error`. Each case goes through the real client, as the probe did.
"""

import json

import pytest
from django.test import Client

from conftest import client_for
from tmhub.core.api.parsers import MAX_JSON_DEPTH, json_depth_exceeds
from tmhub.core.models import District, IndustryField
from tmhub.orgs.models import Organization

pytestmark = pytest.mark.django_db

HUGE = "1" + "0" * 22  # 23 digits
ID_30 = "1" + "0" * 30


@pytest.fixture
def chain(personas):
    from tmhub.transfer.tests.chain import make_chain

    return make_chain(personas)


def _client(user):
    client = client_for(user)
    client.raise_request_exception = False
    return client


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [HUGE, "-1", "0", "abc", "²", "1000001"])
@pytest.mark.parametrize("url", ["/talent/", "/orgs/", "/transfer/projects/"])
def test_a_page_that_cannot_exist_is_a_404_in_the_ui(personas, url, page):
    response = _client(personas.municipal_admin).get(url, {"page": page})
    assert response.status_code == 404


def test_a_page_whose_rows_no_column_could_count_is_a_404(personas):
    # 18 digits pass for a number, but times a page size of 100 they overflow a 64-bit LIMIT.
    response = _client(personas.municipal_admin).get(
        "/talent/", {"page": "9" * 18, "page_size": "100"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/talent/", "/orgs/", "/transfer/projects/"])
def test_real_pages_still_work(personas, chain, url):
    client = _client(personas.municipal_admin)
    assert client.get(url, {"page": "1"}).status_code == 200
    assert client.get(url, {"page": "last"}).status_code == 200


@pytest.mark.parametrize("size", [HUGE, "²", "-3", "0"])
def test_a_page_size_out_of_reason_falls_back_in_the_directory(personas, size):
    assert _client(personas.municipal_admin).get("/talent/", {"page_size": size}).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/api/v1/managers/", "/api/v1/organizations/", "/api/v1/projects/", "/api/v1/contracts/"],
)
def test_api_pages(personas, chain, url):
    client = _client(personas.municipal_admin)
    for page in (HUGE, "abc", "0"):
        response = client.get(url, {"page": page})
        assert response.status_code == 404, (page, response.content[:200])
        assert response.json()["code"] == "not_found"
    response = client.get(url, {"page_size": HUGE})
    assert response.status_code == 200


# --- ids no column can hold -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url, name",
    [
        ("/api/v1/organizations/", "district"),
        ("/api/v1/organizations/", "field"),
        ("/api/v1/managers/", "institution"),
        ("/api/v1/managers/", "district"),
        ("/api/v1/institution-registrations/", "district"),
    ],
)
def test_an_overflowing_filter_id_is_a_400_in_the_api(personas, url, name):
    response = _client(personas.municipal_admin).get(url, {name: ID_30})
    assert response.status_code == 400
    assert name in response.json()["fields"]


@pytest.mark.parametrize(
    "url, name",
    [
        ("/orgs/", "district"),
        ("/orgs/", "field"),
        ("/talent/", "institution"),
        ("/talent/", "district"),
        ("/transfer/demands/", "district"),
    ],
)
def test_an_overflowing_filter_id_is_ignored_in_the_ui(personas, url, name):
    assert _client(personas.municipal_admin).get(url, {name: ID_30}).status_code == 200


def test_no_lookup_sends_an_integer_the_database_cannot_hold(personas):
    """The guard behind every form and filter (tmhub.core.lookups): out-of-range values match
    nothing, comparisons with them are decided without the database, real values still work."""
    huge = int(ID_30)
    org = personas.university
    orgs = Organization.objects
    assert list(orgs.filter(pk__in=[huge, org.pk])) == [org]
    assert not orgs.filter(pk__in=[huge, -huge]).exists()
    assert not orgs.filter(district=huge).exists()
    assert not orgs.filter(district_id__in=[huge]).exists()
    assert orgs.filter(district__gt=-huge).count() == orgs.exclude(district=None).count()
    assert not orgs.filter(district__gt=huge).exists()
    assert not orgs.filter(fields=huge).exists()
    assert set(orgs.filter(pk__range=(org.pk, huge))) == set(orgs.filter(pk__gte=org.pk))
    assert not orgs.filter(pk__range=(huge, huge + 1)).exists()
    assert District.objects.filter(pk__in=[huge, org.district_id]).get() == org.district


def test_a_form_given_an_overflowing_id_shows_a_field_error(personas):
    client = _client(personas.municipal_admin)
    response = client.post(
        "/orgs/new/",
        {
            "name": "超大编号机构",
            "kind": "enterprise",
            "district": ID_30,
            "fields": [ID_30],
            "contact_phone": "010-62780000",
            "contact_email": "a@example.cn",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"district", "fields"} <= set(errors)
    assert not Organization.objects.filter(name="超大编号机构").exists()


def test_a_project_form_given_overflowing_links_shows_a_field_error(personas):
    client = _client(personas.manager)
    response = client.post(
        "/transfer/projects/new/",
        {
            "title": "超大编号项目",
            "institution": personas.university.pk,
            "achievements": [ID_30],
            "demands": [HUGE],
        },
    )
    assert response.status_code == 200
    assert {"achievements", "demands"} <= set(response.context["form"].errors)


@pytest.mark.parametrize("value", [ID_30, "abc", "²", "1e400"])
def test_an_id_in_a_query_string_that_is_no_id_is_ignored(personas, chain, value):
    admin = _client(personas.institution_admin)
    assert admin.get("/transfer/splits/new/", {"contract": value}).status_code == 200
    assert admin.get("/transfer/contracts/new/", {"project": value}).status_code == 200


def test_a_year_that_is_no_number_is_ignored_or_refused(personas):
    client = _client(personas.municipal_admin)
    assert client.get("/talent/filings/", {"year": "²"}).status_code == 200
    assert client.get("/talent/filings/", {"year": ID_30}).status_code == 200
    response = client.post("/talent/filings/open/", {"year": "²"})
    assert response.status_code == 302


# --- JSON -----------------------------------------------------------------------------------


def _post_json(client, url, body: str):
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize("depth", [5000, 100_000])
def test_json_nested_thousands_deep_is_a_400(personas, depth):
    client = _client(personas.manager)
    body = '{"title": ' + "[" * depth + "]" * depth + "}"
    response = _post_json(client, "/api/v1/projects/", body)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_json_within_the_depth_limit_reaches_validation(personas):
    client = _client(personas.manager)
    nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    response = _post_json(client, "/api/v1/projects/", '{"title": ' + nested + "}")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"  # parsed; the serializer refused the value


@pytest.mark.parametrize(
    "body",
    ['{"title": ', '{"title": "x"]', "[" * 70, '{"a": NaN}', '{"amount_fen": ' + "9" * 5000 + "}"],
)
def test_malformed_json_is_a_400_parse_error(personas, body):
    response = _post_json(_client(personas.manager), "/api/v1/projects/", body)
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_brackets_inside_strings_do_not_count_as_nesting():
    assert not json_depth_exceeds(json.dumps({"title": "[" * 1000, "b": ["{" * 500]}))
    assert not json_depth_exceeds(json.dumps({"a": 'say \\"[[[[' + "[" * 100}))
    assert json_depth_exceeds("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))
    assert not json_depth_exceeds("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH)


def test_a_valid_json_request_still_works(personas):
    field = IndustryField.objects.first()
    response = _post_json(
        _client(personas.manager),
        "/api/v1/projects/",
        json.dumps({"title": "正常项目", "institution": personas.university.pk, "field": field.pk}),
    )
    assert response.status_code == 201, response.content


def test_anonymous_json_is_parsed_before_it_is_refused():
    response = Client().post("/api/v1/projects/", "[" * 5000, content_type="application/json")
    assert response.status_code in (400, 401, 403)


@pytest.mark.parametrize("url", ["/accounts/people/", "/accounts/me/tokens/",
                                 "/accounts/lockouts/"])
def test_function_view_lists_answer_404_beyond_the_last_page(personas, url):
    client = client_for(personas.municipal_admin)
    assert client.get(url).status_code == 200
    assert client.get(url + "?page=1").status_code == 200
    for page in ("99", "99999999999999999999999", "abc", "0", "²"):
        assert client.get(f"{url}?page={page}").status_code == 404, page
