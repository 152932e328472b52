"""A manager's training level comes from certificates, never from the profile form (issue 11,
item 4): a valid platform certificate, or an external certificate with evidence verified by the
city. A level typed in earlier without evidence is an unverified claim, shown only to the
manager and administrators."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from tmhub.core import policies
from tmhub.talent import levels
from tmhub.talent.credentials import CredentialStatus
from tmhub.talent.forms import ProfileForm
from tmhub.talent.models import ManagerProfile
from tmhub.talent.tests.helpers import make_profile, register

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _evidence(name="certificate.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _listed(personas, **values):
    # make_profile gives "intermediate" as the level typed in: now an unverified claim
    profile = make_profile(personas.manager, employer=personas.university,
                           district=personas.haidian, **values)
    register(profile, employer_admin=personas.institution_admin,
             municipal=personas.municipal_admin)
    return ManagerProfile.objects.get(pk=profile.pk)


def _record(personas, profile, level="senior", number="CASTEM-2024-0012", actor=None):
    return levels.record_external_certificate(
        actor=actor or personas.manager, profile=profile, issuer="中国科学技术交流中心",
        level=level, number=number, issued_on=datetime.date(2024, 6, 30), evidence=_evidence())


def test_a_typed_level_is_an_unverified_claim_not_the_level(personas):
    profile = _listed(personas)
    assert profile.training_level == "" and profile.claimed_training_level == "intermediate"
    # The directory's level filter and badges use the verified level
    listed = client_for(None).get(reverse("talent:directory"), {"level": "intermediate"})
    assert profile.full_name not in listed.content.decode()


def test_the_profile_form_has_no_level_and_posting_one_changes_nothing(personas):
    profile = _listed(personas)
    assert "training_level" not in ProfileForm.base_fields
    client = client_for(personas.manager)
    page = client.get(reverse("talent:manager-edit", args=[profile.pk])).content.decode()
    assert 'name="training_level"' not in page


def test_an_external_certificate_counts_once_the_city_verifies_it(personas):
    profile = _listed(personas)
    certificate = _record(personas, profile)
    profile.refresh_from_db()
    # Recorded with evidence, it waits: the level does not move yet
    assert certificate.status == CredentialStatus.PENDING and profile.training_level == ""
    # The manager cannot verify their own certificate; the city can
    assert not policies.allows(personas.manager, "verify", certificate)
    assert not levels.CREDENTIAL_WORKFLOW.buttons(certificate, personas.manager)
    levels.decide_external_certificate(certificate, CredentialStatus.VERIFIED,
                                       actor=personas.municipal_admin)
    profile.refresh_from_db()
    assert profile.training_level == "senior"
    # the claim is settled: a senior certificate backs more than the intermediate claim
    assert profile.claimed_training_level == ""
    certificate.refresh_from_db()
    assert certificate.verified_by == personas.municipal_admin and certificate.verified_at
    # and the directory now finds the manager by the verified level, with its badge
    page = client_for(None).get(reverse("talent:directory"), {"level": "senior"})
    assert profile.full_name in page.content.decode()


def test_a_rejection_needs_a_reason_and_leaves_the_level(personas):
    profile = _listed(personas)
    certificate = _record(personas, profile)
    with pytest.raises(ValidationError) as refused:
        levels.decide_external_certificate(certificate, CredentialStatus.REJECTED,
                                           actor=personas.municipal_admin)
    assert refused.value.code == "reason_required"
    levels.decide_external_certificate(certificate, CredentialStatus.REJECTED,
                                       actor=personas.municipal_admin, reason="发证机构查无此证")
    profile.refresh_from_db()
    assert profile.training_level == "" and profile.claimed_training_level == "intermediate"


def test_the_city_does_not_verify_a_certificate_it_recorded_itself(personas):
    profile = _listed(personas)
    certificate = _record(personas, profile, actor=personas.municipal_admin)
    assert not policies.allows(personas.municipal_admin, "verify", certificate)


def test_a_certificate_needs_its_evidence_and_fields(personas):
    profile = _listed(personas)
    with pytest.raises(ValidationError) as refused:
        levels.record_external_certificate(
            actor=personas.manager, profile=profile, issuer="", level="expert", number="",
            issued_on=None, evidence=None)
    codes = {field: [e.code for e in errors] for field, errors in
             refused.value.error_dict.items()}
    assert codes == {"issuer": ["required"], "number": ["required"], "issued_on": ["required"],
                     "evidence": ["required"], "level": ["invalid_choice"]}
    with pytest.raises(ValidationError) as renamed:
        levels.record_external_certificate(
            actor=personas.manager, profile=profile, issuer="某机构", level="junior",
            number="X1", issued_on=datetime.date(2024, 1, 2),
            evidence=_evidence("scan.pdf", b"not a pdf at all"))
    assert renamed.value.error_dict["evidence"][0].code == "file_content"
    # someone who does not oversee the manager cannot record one for them (404-like refusal)
    from django.http import Http404

    with pytest.raises(Http404):
        _record(personas, profile, actor=personas.district_officer)


def test_the_claim_is_seen_by_the_manager_and_administrators_only(personas):
    profile = _listed(personas)
    can_see = {persona: "claimed_training_level" in policies.visible_fields(
        getattr(personas, persona), profile) for persona in
        ("manager", "institution_admin", "municipal_admin", "district_officer")}
    assert can_see == {"manager": True, "institution_admin": True, "municipal_admin": True,
                       "district_officer": False}
    # In the API as on the page
    url = reverse("manager-detail", args=[profile.pk])
    mine = client_for(personas.manager).get(url).json()
    theirs = client_for(personas.district_officer).get(url).json()
    public = client_for(None).get(url).json()
    assert mine["claimed_training_level"] == "intermediate"
    assert "claimed_training_level" not in theirs and "claimed_training_level" not in public
    page = client_for(personas.manager).get(profile.get_absolute_url()).content.decode()
    assert 'id="level-claim"' in page
    officer = client_for(personas.district_officer).get(profile.get_absolute_url())
    assert 'id="level-claim"' not in officer.content.decode()


def test_the_migration_turns_levels_without_certificates_into_claims(personas):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("tmhub.talent.migrations.0010_level_from_certificates")
    profile = _listed(personas)
    # Given a profile as the old form left it: a level typed in, no certificate
    ManagerProfile.objects.filter(pk=profile.pk).update(training_level="senior",
                                                        claimed_training_level="")
    migration.claims_without_certificates(apps, None)
    profile.refresh_from_db()
    assert profile.training_level == "" and profile.claimed_training_level == "senior"


def test_a_platform_certificate_sets_the_level_through_the_event_bus(personas):
    from tmhub.core.models import ObjectChange
    from tmhub.training.choices import Level
    from tmhub.training.tests.helpers import complete_cohort

    profile = _listed(personas)
    complete_cohort(personas, [personas.manager], "lv1", level=Level.JUNIOR)
    profile.refresh_from_db()
    # a junior certificate is the level; the intermediate claim stays a claim
    assert profile.training_level == "junior"
    assert profile.claimed_training_level == "intermediate"
    assert ObjectChange.objects.filter(object_id=str(profile.pk),
                                       after__training_level="junior").exists()
    complete_cohort(personas, [personas.manager], "lv2", level=Level.INTERMEDIATE)
    profile.refresh_from_db()
    assert profile.training_level == "intermediate" and profile.claimed_training_level == ""


def test_pages_record_and_verify_an_external_certificate(personas):
    profile = _listed(personas)
    manager = client_for(personas.manager)
    detail = manager.get(profile.get_absolute_url()).content.decode()
    assert 'id="record-certificate"' in detail
    # A missing evidence file is refused next to its field
    url = reverse("talent:credential-add", args=[profile.pk])
    refused = manager.post(url, {"issuer": "某机构", "level": "senior", "number": "N-1",
                                 "issued_on": "2024-05-01"})
    assert refused.status_code == 200 and refused.context["form"].errors["evidence"]
    response = manager.post(url, {"issuer": "中国科学技术交流中心", "level": "senior",
                                  "number": "N-1", "issued_on": "2024-05-01",
                                  "evidence": _evidence()})
    assert response.status_code == 302
    certificate = profile.external_certificates.get()
    page = manager.get(certificate.get_absolute_url()).content.decode()
    assert 'data-target="verified"' not in page  # the manager sees no verify button
    # The city sees the verify step, with what it confirms, and takes it
    city = client_for(personas.municipal_admin)
    page = city.get(certificate.get_absolute_url()).content.decode()
    assert 'data-target="verified"' in page and 'data-target="rejected"' in page
    city.post(reverse("talent:credential-transition", args=[certificate.pk, "verified"]))
    profile.refresh_from_db()
    assert profile.training_level == "senior"
    # the evidence is served to those who see the certificate, never to others
    evidence = reverse("talent:credential-evidence", args=[certificate.pk])
    assert manager.get(evidence).status_code == 200
    assert client_for(personas.district_officer).get(evidence).status_code == 404


def test_the_api_records_and_verifies_with_codes(personas):
    profile = _listed(personas)
    url = reverse("credential-list")
    manager = client_for(personas.manager)
    missing = manager.post(url, {"profile": profile.pk, "issuer": "某机构", "level": "expert",
                                 "number": "A-1", "issued_on": "2024-05-01"})
    assert missing.status_code == 400
    assert {"evidence", "level"} <= set(missing.json()["fields"])
    created = manager.post(url, {"profile": profile.pk, "issuer": "某机构", "level": "junior",
                                 "number": "A-1", "issued_on": "2024-05-01",
                                 "evidence": _evidence()})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    step = reverse("credential-transition", args=[pk])
    assert manager.post(step, {"target": "verified"}, content_type="application/json"
                        ).status_code == 404
    city = client_for(personas.municipal_admin)
    no_reason = city.post(step, {"target": "rejected"}, content_type="application/json")
    assert no_reason.status_code == 400
    done = city.post(step, {"target": "verified"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "verified"
    profile.refresh_from_db()
    assert profile.training_level == "junior"


def test_a_revoked_certificate_no_longer_gives_its_level(personas):
    from tmhub.training import services as training
    from tmhub.training.choices import Level
    from tmhub.training.tests.helpers import complete_cohort

    profile = _listed(personas)
    (done,) = complete_cohort(personas, [personas.manager], "rv1", level=Level.JUNIOR)
    profile.refresh_from_db()
    assert profile.training_level == "junior"
    # When the revocation one administrator asked for is approved by another
    request = training.request_revocation(done.certificate, actor=personas.institution_admin,
                                          reason="培训记录造假")
    training.decide_revocation(request, "approved", actor=personas.municipal_admin)
    # Then the level falls back to what the remaining certificates back (none here)
    profile.refresh_from_db()
    assert profile.training_level == ""
