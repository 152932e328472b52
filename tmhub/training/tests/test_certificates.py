"""Certificates: numbering (unique under concurrency), revocation, the PDF, and a public
verification page that leaks nothing but the holder's name and the level."""

import re
import shutil
import subprocess
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse

from conftest import client_for
from tmhub.core.actors import SYSTEM
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.training import services
from tmhub.training.models import Certificate, Enrolment
from tmhub.training.services.certificates import make_number
from tmhub.training.tests.helpers import attend_all, given_manager, given_running_cohort

NUMBER = re.compile(r"^BJTM-\d{4}-[JMS]\d{5}-[A-HJ-NP-Z2-9]{4}$")


def _certified(personas, trainee=None, code="c1"):
    trainee = trainee or personas.manager
    cohort, (enrolment,), sessions, exam = given_running_cohort(personas, [trainee], code=code)
    attend_all(personas, sessions, [enrolment])
    services.record_scores(exam, {enrolment.pk: Decimal("88")}, actor=personas.municipal_admin)
    return Certificate.objects.get(enrolment=enrolment)


def test_numbers_are_well_formed_and_distinct():
    numbers = {make_number(2025, "junior", 7) for _ in range(50)}
    assert all(NUMBER.match(n) for n in numbers)
    assert len(numbers) > 1  # the random suffix varies
    assert make_number(2025, "senior", 12, "ABCD") == "BJTM-2025-S00012-ABCD"


@pytest.mark.django_db
def test_revocation_needs_a_reason_is_audited_and_shows_publicly(personas):
    certificate = _certified(personas)
    with pytest.raises(ValidationError):
        services.request_revocation(certificate, actor=personas.institution_admin, reason="")
    with pytest.raises(ValidationError) as exc:
        services.request_revocation(certificate, actor=personas.district_officer,
                                    reason="材料造假")
    assert exc.value.code == "forbidden"
    revocation = services.request_revocation(certificate, actor=personas.institution_admin,
                                             reason="培训记录造假")
    certificate.refresh_from_db()
    assert certificate.status == "valid"  # until a second administrator approves
    services.decide_revocation(revocation, "approved", actor=personas.municipal_admin)
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revoked_by == personas.municipal_admin
    assert WorkflowEvent.objects.filter(event_type="training.certificate.revoked",
                                        reason="培训记录造假").exists()
    assert ObjectChange.objects.filter(content_type__model="certificate", action="update").exists()
    page = client_for(None).get(reverse("training:certificate-verify", args=[certificate.number]))
    assert page.status_code == 200
    assert 'data-result="revoked"' in page.content.decode()
    assert "培训记录造假" not in page.content.decode()


@pytest.mark.django_db
def test_the_verification_page_shows_name_level_hours_and_issuer_and_nothing_else(personas):
    trainee = given_manager(personas, "quiet_user")
    trainee.email, trainee.display_name = "quiet@example.cn", "王静"
    trainee.save()
    certificate = _certified(personas, trainee)
    enrolment = certificate.enrolment
    # (the hours and the issuing provider are shown, issue 12; the holder's employer is not —
    # the test provider's name 测试大学技术转移学院 happens to contain it, so the issuer's own
    # line is left out of the search below)
    private = [trainee.username, trainee.email, personas.university.name,
               enrolment.motivation or "提升能力xyz", "010-62780000",
               str(enrolment.cohort.code), "/training/enrolments/"]
    for client in (client_for(None), client_for(personas.outsider)):
        # lower-case input is accepted
        response = client.get(reverse("training:certificate-verify",
                                      args=[certificate.number.lower()]))
        html = response.content.decode()
        # The random CSRF token may contain a short code such as "c1" by chance.
        html = re.sub(r'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        assert response.status_code == 200
        shown_hours = re.search(r'id="verified-hours"[^>]*>([^<]*)<', html).group(1)
        assert float(shown_hours) == float(certificate.hours)
        html = re.sub(r'id="verified-issuer"[^>]*>[^<]*<', "", html)
        assert 'data-result="valid"' in html
        assert certificate.holder_name in html and "初级技术经纪人" in html
        for secret in private:
            assert secret not in html, secret
    unknown = client_for(None).get(reverse("training:certificate-verify",
                                           args=["BJTM-2025-J00001-ZZZZ"]))
    assert unknown.status_code == 404
    assert 'data-result="unknown"' in unknown.content.decode()
    assert certificate.holder_name not in unknown.content.decode()
    api = client_for(None).get(reverse("training-certificate-verify", args=[certificate.number]))
    assert api.json() == {"number": certificate.number, "result": "valid",
                          "holder_name": certificate.holder_name, "level": "junior"}


@pytest.mark.django_db
def test_the_pdf_has_chinese_text_and_a_qr_code(personas, tmp_path):
    certificate = _certified(personas)
    response = client_for(personas.manager).get(
        reverse("training:certificate-pdf", args=[certificate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils is not installed")
    path = tmp_path / "certificate.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "技术经理人培训证书" in text
    assert certificate.number in text and certificate.holder_name in text
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "page")],
                   check=True)
    from PIL import Image

    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    dark = sum(image.histogram()[:100])
    assert dark > 1000  # text, frame and the QR code are drawn


@pytest.mark.django_db(transaction=True)
def test_certificate_numbers_are_unique_under_concurrent_issuance(personas):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent issuance needs PostgreSQL row locks")
    people = [given_manager(personas, f"c{i}") for i in range(12)]
    _cohort, enrolments, _sessions, _exam = given_running_cohort(personas, people, code="conc")
    barrier = threading.Barrier(len(enrolments))
    errors = []

    def issue(enrolment):
        try:
            barrier.wait()
            services.issue_certificate(Enrolment.objects.get(pk=enrolment.pk), actor=SYSTEM)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(e,)) for e in enrolments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == len(enrolments)
    serials = sorted(int(n.split("-")[2][1:]) for n in numbers)
    assert serials == list(range(1, len(enrolments) + 1))
