"""The reward statement PDF prints names and titles literally: user text never becomes
ReportLab markup (no embedded server file, no planted link, no 500 from an unclosed tag)."""

import pytest
from django.urls import reverse

from conftest import client_for
from tmhub.accounts.models import User
from tmhub.core.tests.pdf_checks import HOSTILE, assert_inert, image_count, pdf_text, squash
from tmhub.orgs.models import Organization
from tmhub.transfer.models import Contract, Project, RewardSplit, SplitAllocation
from tmhub.transfer.statement import statement_pdf
from tmhub.transfer.tests.chain import make_chain

pytestmark = pytest.mark.django_db


def _poison(split, tmp_path):
    """Put hostile text in every user-typed value the statement prints."""
    server_file = tmp_path / "server.png"
    from PIL import Image

    Image.new("RGB", (40, 40), "red").save(server_file)
    values = {
        "institution": f'<img src="{server_file}"/>测试大学',
        "contract": HOSTILE[1],
        "project": HOSTILE[2],
        "allocation": HOSTILE[0],
        "allocation2": HOSTILE[3],
        "rule": HOSTILE[4],
        "legal": "<b>第一条 & <i>",
        "approver": '<a href="http://evil.example/">审批人</a>',
    }
    Organization.objects.filter(pk=split.institution_id).update(name=values["institution"])
    Contract.objects.filter(pk=split.contract_id).update(title=values["contract"])
    Project.objects.filter(pk=split.project_id).update(title=values["project"])
    first, second = split.allocations.all()[:2]
    SplitAllocation.objects.filter(pk=first.pk).update(name=values["allocation"])
    SplitAllocation.objects.filter(pk=second.pk).update(name=values["allocation2"])
    snapshot = {**split.rule_snapshot, "name": values["rule"], "legal_basis": values["legal"]}
    RewardSplit.objects.filter(pk=split.pk).update(rule_snapshot=snapshot)
    User.objects.filter(pk=split.approved_by_id).update(display_name=values["approver"])
    return values


def test_hostile_names_and_titles_are_printed_literally(personas, tmp_path):
    chain = make_chain(personas)
    split = chain.split_approved
    baseline = image_count(statement_pdf(RewardSplit.objects.get(pk=split.pk)))
    values = _poison(split, tmp_path)
    url = reverse("transfer:split-pdf", args=[split.pk])
    response = client_for(personas.institution_admin).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert_inert(pdf, images=baseline)
    text = pdf_text(pdf, tmp_path)
    if text is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    for value in values.values():
        assert squash(value) in text, value
    # Every statement of the contract still renders (an unclosed tag used to break them all).
    assert client_for(personas.institution_admin).get(url).status_code == 200
