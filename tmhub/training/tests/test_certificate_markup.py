"""The certificate PDF draws user text (holder, programme, provider) literally."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.core.tests.pdf_checks import assert_inert, image_count, pdf_text, squash
from tmhub.training import services
from tmhub.training.models import Certificate, Programme, TrainingProvider
from tmhub.training.tests.helpers import attend_all, given_running_cohort

pytestmark = pytest.mark.django_db


def test_hostile_names_on_a_certificate_are_drawn_literally(personas, tmp_path):
    cohort, (enrolment,), sessions, exam = given_running_cohort(personas, [personas.manager])
    attend_all(personas, sessions, [enrolment])
    services.record_scores(exam, {enrolment.pk: Decimal("88")}, actor=personas.municipal_admin)
    certificate = Certificate.objects.get(enrolment=enrolment)
    url = reverse("training:certificate-pdf", args=[certificate.pk])
    client = client_for(personas.manager)
    baseline = image_count(client.get(url).content)  # the QR code
    values = {
        "holder": "<b>张三\n&amp;",
        "programme": '<img src="/etc/passwd"/>',
        "provider": '<a href="http://evil.example/">x</a>',
    }
    Certificate.objects.filter(pk=certificate.pk).update(holder_name=values["holder"])
    Programme.objects.filter(pk=cohort.programme_id).update(name_zh=values["programme"])
    TrainingProvider.objects.filter(pk=cohort.programme.provider_id).update(
        name_zh=values["provider"]
    )
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert_inert(response.content, images=baseline)
    text = pdf_text(response.content, tmp_path)
    if text is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    for value in values.values():
        assert squash(value) in text, value
