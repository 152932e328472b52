"""A record's history reads in words (issue 12 item 2): field labels in the page's language,
names instead of ids, yuan instead of fen, times without fractions of seconds, choice and state
labels instead of codes, one entry per action; applicants read their own application's
history, people who may not read it do not."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from conftest import client_for
from tmhub.core.history import entries_for
from tmhub.orgs import services as orgs
from tmhub.orgs.choices import RegistrationStatus as OrgStatus

pytestmark = pytest.mark.django_db

ISO_FRACTION = re.compile(r"\d{2}:\d{2}:\d{2}\.\d+")


def history_html(client, url, language="zh-hans") -> str:
    """The history section of a page, as `client` sees it in `language` ("" when absent)."""
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(r'<section class="record-history.*?</section>', html, re.S)
    return match.group(0) if match else ""


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ----------------------------------------------------------------- an institution registration
@pytest.fixture
def approved_registration(personas):
    registration = orgs.create_registration(
        actor=personas.institution_admin,
        organization=personas.university,
        premises_address="海淀区清华园1号",
        fulltime_staff=12,
        has_written_rules=True,
        business_scope="技术转移、知识产权运营",
    )
    orgs.transition_registration(
        registration, OrgStatus.SUBMITTED, actor=personas.institution_admin
    )
    return orgs.transition_registration(
        registration, OrgStatus.APPROVED, actor=personas.municipal_admin
    )


def test_registration_history_reads_in_chinese_and_in_english(personas, approved_registration):
    url = reverse("orgs:registration-detail", args=[approved_registration.pk])
    client = client_for(personas.institution_admin)  # the applicant

    zh = text(history_html(client, url, "zh-hans"))
    assert "登记已批准" in zh and "已提交 → 已登记" in zh
    assert "专职人员" in zh and "12" in zh and "是" in zh
    assert "测试大学" in zh  # the organisation by name
    assert "submitted" not in zh and "approved" not in zh and "fulltime_staff" not in zh

    en = text(history_html(client, url, "en"))
    assert "Registration approved" in en and "Submitted → Registered" in en
    assert "Full-time staff" in en or "full-time staff" in en.lower()
    assert "Yes" in en
    assert "fulltime_staff" not in en and "orgs.registration" not in en


def test_one_approval_is_one_entry_and_others_do_not_read_the_history(
    personas, approved_registration
):
    url = reverse("orgs:registration-detail", args=[approved_registration.pk])
    html = history_html(client_for(personas.institution_admin), url)
    # created, submitted, approved: three actions, three entries
    assert html.count('class="list-group-item history-entry"') == 3
    # an approved registration is public, its history is not
    for user in (None, personas.outsider, personas.manager):
        assert history_html(client_for(user), url) == ""


def entries_text(entries) -> str:
    """Everything the entries say, as one string."""
    parts = []
    for e in entries:
        parts += [e.actor, *e.reasons]
        parts += [f"{s.subject} {s.label} {s.source} {s.target}" for s in e.steps]
        for c in e.changes:
            parts += [c.action, c.subject]
            parts += [f"{f.label}: {f.before} → {f.after}" for f in c.fields]
    return " | ".join(parts)


# ----------------------------------------------------------------- a manager's registration
def test_a_manager_registration_approval_is_one_entry_with_its_profile_change(personas):
    from tmhub.talent.choices import RegistrationStatus as S
    from tmhub.talent.tests.helpers import make_profile, register

    profile = make_profile(
        personas.manager, employer=personas.university, district=personas.haidian
    )
    registration = register(
        profile,
        employer_admin=personas.institution_admin,
        municipal=personas.municipal_admin,
        upto=S.UNDER_REVIEW,
    )
    response = client_for(personas.municipal_admin).post(
        reverse("talent:registration-transition", args=[registration.pk, S.REGISTERED])
    )
    assert response.status_code == 302

    # the applicant reads it
    url = reverse("talent:registration-detail", args=[registration.pk])
    html = history_html(client_for(personas.manager), url)
    entries = html.split('<li class="list-group-item history-entry">')[1:]
    approval = [text(e) for e in entries if "技术经理人已入库" in e]
    assert len(approval) == 1  # the step and the profile it listed: one entry
    words = approval[0]
    assert "市级审核中 → " in words  # the states by their labels
    assert "修改 · 技术经理人: 张伟" in words  # the profile the step listed, by name
    assert "在公开名录中显示 : 否 → 是" in words  # its field, by its label
    assert re.search(r"[\u4e00-\u9fff]+编号 : — → BJTM-", words)  # the number, labelled in Chinese
    registered_at = re.search(r"入库时间 : — → (\S+ \S+)", words)
    assert registered_at and re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", registered_at.group(1))
    assert not ISO_FRACTION.search(html) and "T0" not in words
    assert "under_review" not in html and "is_listed" not in html


def test_id_numbers_stay_masked_in_history(personas):
    from tmhub.talent import services as talent
    from tmhub.talent.tests.helpers import make_profile, resident_id

    first, second = resident_id(501), resident_id(502)
    profile = make_profile(personas.manager, employer=personas.university, id_number=first)
    profile = talent.update_profile(profile, actor=personas.manager, id_number=second)
    with translation.override("zh-hans"):
        words = entries_text(entries_for(profile, personas.municipal_admin))
    assert profile.id_number_masked in words  # the masked form, as on every page
    assert first not in words and second not in words
    assert not re.search(r"(?<!\*)\*{6}(?!\*)", words)  # no placeholder of a hidden field


# ----------------------------------------------------------------- a project and its contract
@pytest.fixture
def project(personas):
    from tmhub.transfer import services
    from tmhub.transfer.choices import Stage
    from tmhub.transfer.tests.chain import make_achievement, walk_to

    project = services.create_project(
        actor=personas.manager,
        institution=personas.university,
        title="固态电池转化项目",
        achievements=[make_achievement(personas)],
    )
    return walk_to(project, Stage.EVALUATION, personas.manager)


def test_project_history_names_stages_and_shows_yuan(personas, project):
    url = reverse("transfer:project-detail", args=[project.pk])
    client = client_for(personas.manager)
    zh = text(history_html(client, url, "zh-hans"))
    assert "项目推进" in zh and "挖掘 → 评价" in zh
    assert "¥800,000.00" in zh and "80000000" not in zh  # the valuation's amount, in yuan
    assert "2025-02-01" in zh and "测试大学" in zh
    assert "mining" not in zh and "evaluation" not in zh

    en = text(history_html(client, url, "en"))
    assert "Project moved forward" in en and "Discovery → Evaluation" in en
    assert "¥800,000.00" in en


def test_contract_amount_change_reads_in_yuan_with_party_names(personas, project):
    from tmhub.transfer import services
    from tmhub.transfer.choices import ContractKind, PartyRole

    contract = services.create_contract(
        actor=personas.institution_admin,
        institution=personas.university,
        project=project,
        title="成果许可合同",
        kind=ContractKind.LICENCE,
        amount_fen=1_000_000,
        signed_on=datetime.date(2025, 3, 1),
        parties=[(personas.university, PartyRole.SELLER), (personas.company, PartyRole.BUYER)],
    )
    services.update_contract(contract, actor=personas.institution_admin, amount_fen=1_234_500)
    url = reverse("transfer:contract-detail", args=[contract.pk])
    client = client_for(personas.institution_admin)

    zh = text(history_html(client, url, "zh-hans"))
    assert "合同金额 : ¥10,000.00 → ¥12,345.00" in zh
    assert "（分）" not in zh and "1234500" not in zh
    assert "测试科技有限公司" in zh and "许可" in zh  # the buyer by name; the kind by label
    assert "licence" not in zh

    en = text(history_html(client, url, "en"))
    assert "Contract amount : ¥10,000.00 → ¥12,345.00" in en and "(fen)" not in en


# ----------------------------------------------------------------- training
def test_a_trainee_reads_their_enrolment_and_certificate_history(personas):
    from tmhub.training.tests.helpers import complete_cohort

    (enrolment,) = complete_cohort(personas, [personas.manager], "h-1")
    enrolment.refresh_from_db()
    enrolment_url = reverse("training:enrolment-detail", args=[enrolment.pk])
    certificate_url = reverse("training:certificate-detail", args=[enrolment.certificate.pk])
    trainee = client_for(personas.manager)

    zh = text(history_html(trainee, enrolment_url, "zh-hans"))
    assert "报名通过" in zh and "培训合格结业" in zh
    en = text(history_html(trainee, enrolment_url, "en"))
    assert "Enrolment approved" in en and "Training completed" in en
    assert "Certificate issued" in text(history_html(trainee, certificate_url, "en"))
    assert "training.enrolment" not in zh + en

    # the district's officer sees the enrolment exists, not its history
    assert history_html(client_for(personas.district_officer), enrolment_url) == ""


# ----------------------------------------------------------------- no N+1
def test_history_of_many_changes_costs_the_same_queries(personas):
    organization = personas.university

    def change(times):
        for i in range(times):
            district = personas.chaoyang if i % 2 == 0 else personas.haidian
            orgs.update_organization(
                organization,
                actor=personas.municipal_admin,
                district=district,
                website=f"https://w{i}.example.cn",
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            entries = entries_for(organization, personas.institution_admin)
        return len(captured), entries

    change(5)
    queries()  # content types are cached once per process
    few, _ = queries()
    change(45)
    many, entries = queries()
    assert many == few
    assert len(entries) == 50
    words = entries_text(entries)
    assert "海淀区 → 朝阳区" in words and "朝阳区 → 海淀区" in words
