"""Supporting documents of a registration: typed, limited, stored through Django's storage,
read by the applicant, the employer's institution administrators and the city only, downloaded
through a policy-checked view, audited."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import client_for
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.talent import documents as docs
from tmhub.talent import registration as reg
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.documents import DocumentEvent, RegistrationDocument
from tmhub.talent.tests.helpers import make_profile

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="学位证书.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _profile(personas):
    return make_profile(personas.manager, employer=personas.university, district=personas.haidian)


def test_documents_are_attached_with_the_one_step_application(personas):
    # Given a complete profile, when the manager applies with a degree and an employment proof
    profile = _profile(personas)
    registration = reg.apply_for_registration(
        actor=personas.manager,
        profile=profile,
        documents=[
            ("degree", "document_degree", pdf()),
            ("employment", "document_employment", pdf("在职证明.pdf")),
        ],
    )
    # Then both are stored, typed, and each upload is in the audit log of the registration
    assert registration.status == S.SUBMITTED
    kinds = sorted(registration.documents.values_list("kind", flat=True))
    assert kinds == ["degree", "employment"]
    document = registration.documents.get(kind="degree")
    assert document.original_name == "学位证书.pdf"
    assert document.file.read() == PDF
    assert not document.file.name.endswith("学位证书.pdf")  # a random stored name
    assert (
        ObjectChange.objects.filter(
            related_object_id=str(registration.pk), action=ObjectChange.Action.CREATE
        ).count()
        == 2
    )


@pytest.mark.parametrize(
    "upload, code",
    [
        (SimpleUploadedFile("a.exe", b"MZ\x90\x00"), "file_type"),
        (SimpleUploadedFile("a.pdf", b""), "file_empty"),
        (SimpleUploadedFile("a.pdf", b"<html>not a pdf</html>"), "file_content"),
    ],
)
def test_a_bad_file_refuses_the_application_and_nothing_is_created(personas, upload, code):
    profile = _profile(personas)
    with pytest.raises(ValidationError) as exc:
        reg.apply_for_registration(
            actor=personas.manager,
            profile=profile,
            documents=[("degree", "document_degree", upload)],
        )
    assert exc.value.error_dict["document_degree"][0].code == code
    assert not profile.registrations.exists()
    assert not RegistrationDocument.objects.exists()


def test_size_limit(personas, monkeypatch):
    monkeypatch.setattr(docs, "MAX_DOCUMENT_BYTES", 10)
    profile = _profile(personas)
    registration = reg.start_registration(actor=personas.manager, profile=profile)
    with pytest.raises(ValidationError) as exc:
        docs.add_document(registration, actor=personas.manager, kind="degree", upload=pdf())
    assert exc.value.error_dict["file"][0].code == "file_size"


def test_only_the_applicant_attaches_and_only_while_the_application_is_theirs(personas):
    profile = _profile(personas)
    registration = reg.start_registration(actor=personas.manager, profile=profile)
    for actor in (personas.institution_admin, personas.district_officer, personas.outsider):
        with pytest.raises(Http404):
            docs.add_document(registration, actor=actor, kind="degree", upload=pdf())
    docs.add_document(registration, actor=personas.manager, kind="certificate", upload=pdf())
    registration = reg.transition_registration(registration, S.SUBMITTED, actor=personas.manager)
    # Submitted: in the employer's hands, nothing is added or removed any more
    with pytest.raises(Http404):
        docs.add_document(registration, actor=personas.manager, kind="other", upload=pdf())
    with pytest.raises(Http404):
        docs.remove_document(registration.documents.get(), actor=personas.manager)
    assert registration.documents.count() == 1


def test_who_reads_and_downloads_a_document(personas):
    # Given a submitted registration with a degree document
    profile = _profile(personas)
    registration = reg.apply_for_registration(
        actor=personas.manager, profile=profile, documents=[("degree", "document_degree", pdf())]
    )
    document = registration.documents.get()
    url = reverse("talent:registration-document", args=[document.pk])
    readers = {"manager", "institution_admin", "municipal_admin"}
    for name, user in personas.signed_in():
        response = client_for(user).get(url)
        # Then the applicant, the employer's administrator and the city download it …
        if name in readers:
            assert response.status_code == 200, name
            assert b"".join(response.streaming_content) == PDF
            assert "attachment" in response["Content-Disposition"]
        else:  # … and everyone else, the district officer overseeing it included, gets 404
            assert response.status_code == 404, name
    assert client_for(None).get(url).status_code == 302  # to the sign-in page
    # And each download is recorded
    assert WorkflowEvent.objects.filter(
        event_type=DocumentEvent.DOWNLOADED, object_id=str(document.pk)
    ).count() == len(readers)
    # The registration page lists it for its readers only
    page = client_for(personas.district_officer).get(registration.get_absolute_url())
    assert page.status_code == 200 and url not in page.content.decode()
    page = client_for(personas.institution_admin).get(registration.get_absolute_url())
    assert url in page.content.decode()


def test_ui_attach_and_remove_while_returned(personas):
    profile = _profile(personas)
    registration = reg.apply_for_registration(actor=personas.manager, profile=profile)
    registration = reg.transition_registration(
        registration, S.RETURNED, actor=personas.institution_admin, reason="请补充在职证明"
    )
    client = client_for(personas.manager)
    response = client.post(
        reverse("talent:registration-document-add", args=[registration.pk]),
        {"kind": "employment", "file": pdf("在职证明.pdf")},
    )
    assert response.status_code == 302
    document = registration.documents.get()
    assert document.kind == "employment"
    response = client.post(reverse("talent:registration-document-remove", args=[document.pk]))
    assert response.status_code == 302
    assert not registration.documents.exists()
    assert ObjectChange.objects.filter(
        action=ObjectChange.Action.DELETE, object_id=str(document.pk)
    ).exists()


def test_api_lists_uploads_and_downloads(personas):
    profile = _profile(personas)
    registration = reg.start_registration(actor=personas.manager, profile=profile)
    client = APIClient()
    client.force_authenticate(personas.manager)
    url = reverse("registration-documents", args=[registration.pk])
    response = client.post(url, {"kind": "degree", "file": pdf()}, format="multipart")
    assert response.status_code == 201, response.json()
    bad = client.post(
        url, {"kind": "degree", "file": SimpleUploadedFile("x.exe", b"MZ")}, format="multipart"
    )
    assert bad.status_code == 400 and bad.json()["fields"]["file"][0]["code"] == "file_type"
    listed = client.get(url).json()
    assert [d["kind"] for d in listed] == ["degree"]
    download = client.get(listed[0]["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # A district officer sees the registration but not its documents
    officer = APIClient()
    officer.force_authenticate(personas.district_officer)
    assert officer.get(url).json() == []
    assert officer.get(listed[0]["download"]).status_code == 404
    detail = officer.get(reverse("registration-detail", args=[registration.pk])).json()
    assert detail["documents"] == []
