"""Input a clerk would never accept, on demands (issue 11 item 7): a deadline in the past, a
phone number that is not one, a description without a limit — refused in the service, the
page and the API with the same field-level code; publishing a demand whose deadline has
passed is refused too."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from tmhub.transfer import services
from tmhub.transfer.choices import DemandStatus
from tmhub.transfer.models import Demand

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _today():
    return timezone.localdate()


def _codes(exc):
    return {name: errors[0].code for name, errors in exc.error_dict.items()}


def _demand(personas, **values):
    base = {"title": "需求", "problem": "问题", "deadline": _today() + 30 * DAY}
    return services.create_demand(
        actor=personas.enterprise, organization=personas.company, **{**base, **values}
    )


def _api_post(personas, **values):
    data = {"title": "需求", "problem": "问题", "organization": personas.company.pk, **values}
    return client_for(personas.enterprise).post(
        reverse("demand-list"), data, content_type="application/json"
    )


def _page_post(personas, **values):
    data = {"organization": personas.company.pk, "title": "需求", "problem": "问题", **values}
    return client_for(personas.enterprise).post(reverse("transfer:demand-create"), data)


# --- deadlines -------------------------------------------------------------------------------


def test_yesterday_is_refused_as_a_deadline_and_today_is_accepted(personas):
    # Given an enterprise recording a demand
    yesterday = _today() - DAY
    # When the deadline is yesterday, then the service refuses it on the field
    with pytest.raises(ValidationError) as caught:
        _demand(personas, deadline=yesterday)
    assert _codes(caught.value) == {"deadline": "date_in_past"}
    assert _today().isoformat() in caught.value.error_dict["deadline"][0].message % (
        caught.value.error_dict["deadline"][0].params
    )
    # and so do the API and the page, with the same code
    response = _api_post(personas, deadline=yesterday.isoformat())
    assert response.status_code == 400
    assert response.json()["fields"]["deadline"][0]["code"] == "date_in_past"
    page = _page_post(personas, deadline=yesterday.isoformat())
    assert page.status_code == 200
    assert [e.code for e in page.context["form"].errors.as_data()["deadline"]] == ["date_in_past"]
    assert not Demand.objects.exists()
    # When the deadline is today, it is accepted
    assert _demand(personas, deadline=_today()).deadline == _today()


def test_changing_a_deadline_to_the_past_is_refused_in_the_api(personas):
    demand = _demand(personas)
    response = client_for(personas.enterprise).patch(
        reverse("demand-detail", args=[demand.pk]),
        {"deadline": (_today() - DAY).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["fields"]["deadline"][0]["code"] == "date_in_past"
    demand.refresh_from_db()
    assert demand.deadline == _today() + 30 * DAY


def test_the_date_picker_starts_today_unless_a_kept_deadline_has_passed(personas):
    page = client_for(personas.enterprise).get(reverse("transfer:demand-create"))
    assert f'min="{_today().isoformat()}"' in page.content.decode()
    demand = _demand(personas)
    Demand.objects.filter(pk=demand.pk).update(deadline=_today() - 10 * DAY)  # time went by
    page = client_for(personas.enterprise).get(reverse("transfer:demand-edit", args=[demand.pk]))
    assert 'name="deadline"' in page.content.decode()
    assert f'min="{_today().isoformat()}"' not in page.content.decode()


def test_a_demand_whose_deadline_has_passed_cannot_be_published(personas):
    # Given a draft whose deadline has gone by since it was recorded
    demand = _demand(personas)
    Demand.objects.filter(pk=demand.pk).update(deadline=_today() - DAY)
    # When the enterprise publishes it, the service refuses with a code on the field
    with pytest.raises(ValidationError) as caught:
        services.publish_demand(Demand.objects.get(pk=demand.pk), actor=personas.enterprise)
    assert _codes(caught.value) == {"deadline": "deadline_passed"}
    # the API answers 400 with the same code
    response = client_for(personas.enterprise).post(
        reverse("demand-publish", args=[demand.pk]), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["deadline"][0]["code"] == "deadline_passed"
    # and the page says why and leaves the draft
    page = client_for(personas.enterprise).post(
        reverse("transfer:demand-transition", args=[demand.pk, DemandStatus.PUBLISHED]), follow=True
    )
    assert "The deadline has passed" in page.content.decode() or "截止" in page.content.decode()
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.DRAFT
    # Once the deadline is moved ahead, it publishes
    services.update_demand(
        Demand.objects.get(pk=demand.pk), actor=personas.enterprise, deadline=_today() + DAY
    )
    assert (
        services.publish_demand(Demand.objects.get(pk=demand.pk), actor=personas.enterprise).status
        == DemandStatus.PUBLISHED
    )


# --- phone numbers --------------------------------------------------------------------------


def test_a_contact_phone_that_is_no_number_is_refused_everywhere(personas):
    with pytest.raises(ValidationError) as caught:
        _demand(personas, contact_phone="12345")
    assert _codes(caught.value) == {"contact_phone": "invalid_phone"}
    response = _api_post(personas, contact_phone="call me")
    assert response.status_code == 400
    assert response.json()["fields"]["contact_phone"][0]["code"] == "invalid_phone"
    page = _page_post(personas, contact_phone="010-1234")
    assert page.status_code == 200
    assert "invalid_phone" in [
        e.code for e in page.context["form"].errors.as_data()["contact_phone"]
    ]
    assert not Demand.objects.exists()


def test_mainland_and_international_numbers_are_stored_in_e164(personas):
    assert _demand(personas, contact_phone="138 0013 8000").contact_phone == "+8613800138000"
    assert _demand(personas, contact_phone="(010)6275-1234").contact_phone == "+861062751234"
    response = _api_post(personas, contact_phone="+44 20 7946 0958")
    assert response.status_code == 201, response.json()
    assert Demand.objects.get(pk=response.json()["id"]).contact_phone == "+442079460958"
    page = _page_post(personas, contact_phone="010-62751234")
    assert page.status_code == 302
    demand = Demand.objects.latest("id")
    assert demand.contact_phone == "+861062751234"
    detail = client_for(personas.enterprise).get(demand.get_absolute_url()).content.decode()
    assert "010 6275 1234" in detail  # shown as dialled at home


# --- text limits ----------------------------------------------------------------------------


def test_a_problem_longer_than_its_limit_is_refused_and_the_form_shows_the_limit(personas):
    limit = Demand._meta.get_field("problem").max_length
    assert limit == 5000
    with pytest.raises(ValidationError) as caught:
        _demand(personas, problem="长" * (limit + 1))
    assert _codes(caught.value) == {"problem": "max_length"}
    response = _api_post(personas, problem="长" * (limit + 1))
    assert response.status_code == 400
    assert response.json()["fields"]["problem"][0]["code"] == "max_length"
    page = client_for(personas.enterprise).get(reverse("transfer:demand-create"))
    body = page.content.decode()
    assert f'maxlength="{limit}"' in body  # the counter reads it as the user types
    assert "core/charcount.js" in body
    assert _demand(personas, problem="长" * limit).problem == "长" * limit
