"""Representative works and the dossier PDF (issue 16 item 3): works picked from the platform's
records carry the record's figures as they stand (never retyped), uploaded works need evidence,
only the applicant changes the list while the application is editable, the dossier is one PDF
with a table of contents generated from the records."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import ObjectChange
from tmhub.core.tests.pdf_checks import HOSTILE, assert_inert, pdf_text, squash
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.services import works as services
from tmhub.evaluation.services.works import figures
from tmhub.evaluation.tests.helpers import advance, bureau_officer, draft
from tmhub.transfer import services as transfer
from tmhub.transfer.choices import ContractKind, PartyRole
from tmhub.transfer.rewards_engine import Person


@pytest.fixture
def world(personas):
    application = draft(personas.manager, personas.university)
    project = transfer.create_project(actor=personas.manager, institution=personas.university,
                                      title="固态电池电解质转化项目")
    contract = transfer.create_contract(
        actor=personas.manager, institution=personas.university, project=project,
        title="固态电解质专利许可合同", kind=ContractKind.LICENCE, amount_fen=100_000_000,
        signed_on=datetime.date(2025, 3, 1),
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)])
    transfer.record_receipt(contract, actor=personas.manager,
                            received_on=datetime.date(2025, 4, 1), amount_fen=60_000_000)
    split = transfer.create_split(
        actor=personas.manager, institution=personas.university, contract=contract,
        income_date=datetime.date(2025, 4, 1), amount_fen=30_000_000,
        people=[Person("王测试", Decimal(50), personas.manager.pk),
                Person("李博士", Decimal(50))])
    split = transfer.approve_split(split, actor=personas.institution_admin)
    return personas, application, project, contract, split


def _evidence(name="论文.pdf", content=b"%PDF-1.4 evidence"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_given_a_contract_picked_then_its_figures_come_from_the_record(world):
    """Given the applicant's contract picked as a work, then its title and figures are the
    record's, and a receipt recorded later shows in the work (read, not copied)."""
    personas, application, _project, contract, _split = world
    work = services.add_work_from_record(application, actor=personas.manager,
                                         source="contract", record_id=contract.pk,
                                         role="lead", role_detail="主谈判人")
    assert work.title == contract.title and work.contract_id == contract.pk
    facts = dict(figures(work))
    assert "1,000,000.00" in facts.values() and "600,000.00" in facts.values()
    transfer.record_receipt(contract, actor=personas.manager,
                            received_on=datetime.date(2025, 5, 1), amount_fen=10_000_000)
    work.refresh_from_db()
    assert "700,000.00" in dict(figures(work)).values()
    from django.contrib.contenttypes.models import ContentType

    change = ObjectChange.objects.filter(
        object_id=str(work.pk), content_type=ContentType.objects.get_for_model(work)).get()
    assert change.related_object_id == str(application.pk)


def test_given_a_reward_statement_picked_then_the_applicants_share_is_shown(world):
    personas, application, project, _contract, split = world
    work = services.add_work_from_record(application, actor=personas.manager,
                                         source="reward_split", record_id=split.pk,
                                         role="main")
    values = dict(figures(work)).values()
    assert "300,000.00" in values  # amount to split
    # half of the team reward (70 % of 300,000.00 under the rule in force)
    assert any(v.startswith("105,000.00 (50") for v in values)
    project_work = services.add_work_from_record(application, actor=personas.manager,
                                                 source="project", record_id=project.pk,
                                                 role="lead", kind="case_report")
    assert project_work.kind == "case_report"
    with pytest.raises(ValidationError) as caught:
        services.add_work_from_record(application, actor=personas.manager, source="project",
                                      record_id=project.pk, role="lead")
    assert caught.value.error_dict["record"][0].code == "already_listed"


def test_given_a_record_the_applicant_took_no_part_in_then_it_cannot_be_picked(world):
    """A contract of a project the applicant was never assigned to is not theirs to list."""
    from tmhub.accounts.services import create_user, grant_membership
    from tmhub.core.actors import SYSTEM
    from tmhub.core.roles import Role

    personas, application, *_ = world
    other = create_user(actor=SYSTEM, username="p_other_mgr", password="x-Pass-2025")
    grant_membership(actor=SYSTEM, user=other, role=Role.MANAGER,
                     organization=personas.university)
    foreign = transfer.create_project(actor=other, institution=personas.university,
                                      title="别人的项目")
    with pytest.raises(ValidationError) as caught:
        services.add_work_from_record(application, actor=personas.manager, source="project",
                                      record_id=foreign.pk, role="lead")
    assert caught.value.error_dict["record"][0].code == "not_your_record"


def test_given_an_uploaded_work_then_evidence_is_required_and_served_to_insiders_only(world):
    personas, application, *_ = world
    with pytest.raises(ValidationError) as caught:
        services.add_uploaded_work(application, actor=personas.manager, kind="paper",
                                   title="技术转移案例研究", role="lead", upload=None)
    assert caught.value.error_dict["evidence"][0].code == "evidence_required"
    with pytest.raises(ValidationError) as caught:
        services.add_uploaded_work(application, actor=personas.manager, kind="paper",
                                   title="技术转移案例研究", role="lead",
                                   upload=_evidence("virus.exe"))
    assert "evidence" in caught.value.error_dict
    work = services.add_uploaded_work(application, actor=personas.manager, kind="paper",
                                      title="技术转移案例研究", role="lead",
                                      upload=_evidence(), happened_on=datetime.date(2024, 6, 1))
    url = reverse("evaluation:work-evidence", args=[work.pk])
    assert client_for(personas.manager).get(url).status_code == 200
    for stranger in (personas.outsider, personas.reviewer, personas.institution_admin):
        # the employer sees the application once it is submitted, not the draft
        assert client_for(stranger).get(url).status_code == 404


def test_given_a_submitted_application_then_the_works_list_is_frozen(world):
    personas, application, _project, contract, _split = world
    services.add_uploaded_work(application, actor=personas.manager, kind="paper",
                               title="论文", role="lead", upload=_evidence())
    advance(application, S.SUBMITTED, applicant=personas.manager,
            employer_admin=personas.institution_admin, officer=bureau_officer())
    client = client_for(personas.manager)
    response = client.post(reverse("evaluation:work-add", args=[application.pk]),
                           {"mode": "pick", "pick-record": f"contract:{contract.pk}",
                            "pick-role": "lead"})
    assert response.status_code == 404
    work = application.works.get()
    assert client.post(reverse("evaluation:work-remove", args=[work.pk])).status_code == 404
    assert application.works.count() == 1


def test_given_the_pages_then_the_applicant_picks_and_others_get_404(world):
    personas, application, _project, contract, _split = world
    url = reverse("evaluation:work-add", args=[application.pk])
    for stranger in (personas.outsider, personas.institution_admin, personas.reviewer,
                     personas.municipal_admin):
        assert client_for(stranger).get(url).status_code == 404
    client = client_for(personas.manager)
    page = client.get(url)
    assert page.status_code == 200 and contract.number in page.content.decode()
    response = client.post(url, {"mode": "pick", "pick-record": f"contract:{contract.pk}",
                                 "pick-role": ""})
    assert response.status_code == 200 and "pick-role" in response.content.decode()
    response = client.post(url, {"mode": "pick", "pick-record": f"contract:{contract.pk}",
                                 "pick-role": "lead"})
    assert response.status_code == 302
    detail = client.get(application.get_absolute_url()).content.decode()
    assert contract.title in detail and "1,000,000.00" in detail


def test_given_the_dossier_then_it_is_one_pdf_with_contents_from_the_records(world, tmp_path):
    personas, application, _project, contract, _split = world
    services.add_work_from_record(application, actor=personas.manager, source="contract",
                                  record_id=contract.pk, role="lead")
    services.add_uploaded_work(application, actor=personas.manager, kind="standard",
                               title=HOSTILE[0] + HOSTILE[2], role="participant",
                               role_detail=HOSTILE[1], upload=_evidence())
    url = reverse("evaluation:application-dossier", args=[application.pk])
    response = client_for(personas.manager).get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert_inert(pdf, images=0)
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        assert squash(contract.number) in text and "1,000,000.00" in text
        assert squash(HOSTILE[0]) in text  # the hostile title printed as text
        assert text.count("4.") >= 2  # the works' section in the contents and in the body
        assert squash(personas.manager.manager_profile.full_name) in text
    for stranger in (personas.outsider, personas.reviewer, personas.institution_admin):
        assert client_for(stranger).get(url).status_code == 404


def test_the_dossier_labels_read_as_labels_and_name_the_platform(world):
    """Each eligibility row is marked in a capitalised label in English (was "condition met"),
    the uploaded work's source says who uploaded it, and the Chinese footer names the platform
    (技术经理人服务平台), not "TM Hub"."""
    from django.utils import translation

    from tmhub.evaluation.dossier import _sections

    personas, application, _project, _contract, _split = world
    with translation.override("en"):
        rows = dict(_sections(application))["Eligibility"]
    assert {mark for mark, _text in rows} <= {"Condition met", "Condition not met",
                                              "For the reviewers to confirm"}
    with translation.override("zh-hans"):
        assert translation.gettext("Uploaded by the applicant with evidence") == \
            "申报人上传，附证明材料"
        assert "技术经理人服务平台" in translation.gettext(
            "Generated by TM Hub on %(date)s from the platform's records.")
