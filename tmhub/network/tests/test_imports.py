"""Excel import of a provider's service catalogue (issue 14 item 7): a dry run reports every
row's errors by row and field, in both UI languages, and saves nothing; a clean file lands
whole as drafts through the same service as the page; the same file imported twice creates
nothing twice; only a provider's own users import, only into their own catalogue. The
provider organisations themselves come in through the organisations import (the city)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from tmhub.core.access import get_scope
from tmhub.core.models import ImportJob, ObjectChange
from tmhub.core.tabular.importing import REGISTRY, commit_import, start_import
from tmhub.network.choices import ServiceStatus
from tmhub.network.models import ProviderService
from tmhub.network.tests.helpers import given_service
from tmhub.orgs.models import Organization
from tmhub.talent.tests.helpers import xlsx_upload

pytestmark = pytest.mark.django_db
HEADER = ["服务类型", "服务名称", "英文名称", "服务领域", "服务区域", "最低价格（元）",
          "最高价格（元）", "面议", "年服务能力（件）", "服务语言", "国际服务能力"]
SPEC = "network-services"


def _row(title, type_="patent_drafting", fields="", districts="海淀区", low="5000",
         high="15000", on_request="否", capacity="40", international="是"):
    return [type_, title, "", fields, districts, low, high, on_request, capacity, "中文、英文",
            international]


def _import(personas, rows, header=HEADER, actor=None):
    return start_import(REGISTRY[SPEC], xlsx_upload(header, rows, name="services.xlsx"),
                        actor=actor or personas.service_provider)


def _errors(job):
    return {(r["row"], e["field"], e["code"]) for r in job.report["rows"] for e in r["errors"]}


def test_a_file_with_bad_rows_is_reported_by_row_and_field_and_nothing_is_saved(personas):
    given_service(personas, title="已有的专利撰写")
    rows = [
        _row("发明专利撰写服务"),                          # 2: fine
        _row("发明专利撰写服务"),                          # 3: twice in the file
        _row("已有的专利撰写"),                            # 4: already in the catalogue
        _row("未知类型", type_="星际专利"),                 # 5
        _row("价格倒挂", low="20000", high="100"),          # 6
        _row("价格文字", low="五千元"),                     # 7
        _row("无价格", low="", high="", on_request="否"),   # 8
        _row("未知区", districts="火星区"),                 # 9
        _row("能力", capacity="很多", international="也许"),  # 10
        _row(""),                                           # 11
    ]
    job = _import(personas, rows)
    assert job.status == ImportJob.Status.INVALID
    errors = _errors(job)
    assert not any(row == 2 for row, _f, _c in errors)
    assert {(3, "title", "duplicate_in_file"), (4, "title", "duplicate"),
            (5, "service_type", "invalid_choice"), (6, "price_max", "price_range"),
            (7, "price_min", "invalid"), (8, "price_on_request", "price_missing"),
            (9, "districts", "invalid_choice"), (10, "capacity", "invalid"),
            (10, "international", "invalid"), (11, "title", "required")} <= errors
    assert ProviderService.objects.count() == 1  # the one given; a dry run saves nothing
    # Each error is kept in both UI languages, and names the column as the file does.
    error = next(e for r in job.report["rows"] if r["row"] == 5 for e in r["errors"])
    assert error["label"] == "服务类型"
    assert error["message_en"] == "Unknown service type."
    assert error["message_zh_hans"] and error["message_zh_hans"] != error["message_en"]


def test_a_clean_file_lands_as_drafts_and_importing_it_twice_creates_nothing_twice(personas):
    rows = [_row("发明专利撰写服务", fields="", districts="海淀区、朝阳区"),
            _row("专利价值评估", type_="valuation", low="", high="", on_request="是",
                 international="否", capacity="")]
    job = _import(personas, rows)
    assert job.status == ImportJob.Status.VALIDATED, job.report
    assert not ProviderService.objects.exists()
    job = commit_import(job, actor=personas.service_provider)
    assert job.status == ImportJob.Status.COMMITTED and job.created_rows == 2
    drafting = ProviderService.objects.get(title="发明专利撰写服务")
    assert drafting.provider == personas.provider_org
    assert drafting.status == ServiceStatus.DRAFT  # the city reviews it once submitted
    assert (drafting.price_min_fen, drafting.price_max_fen) == (500_000, 1_500_000)
    assert drafting.capacity == 40 and drafting.international
    assert {d.name_zh for d in drafting.districts.all()} == {"海淀区", "朝阳区"}
    valuation = ProviderService.objects.get(title="专利价值评估")
    assert valuation.price_on_request and valuation.price_text
    assert ObjectChange.objects.filter(object_id=str(valuation.pk), action="create",
                                       actor=personas.service_provider).exists()
    # The same committed job again: refused, nothing lands twice.
    with pytest.raises(ValidationError) as refused:
        commit_import(ImportJob.objects.get(pk=job.pk), actor=personas.service_provider)
    assert refused.value.code == "already_committed"
    # The same file uploaded again: every row is a duplicate, nothing can be committed.
    again = _import(personas, rows)
    assert again.status == ImportJob.Status.INVALID
    assert _errors(again) == {(2, "title", "duplicate"), (3, "title", "duplicate")}
    assert ProviderService.objects.count() == 2


def test_only_a_providers_own_users_import_and_only_into_their_own_catalogue(personas):
    from tmhub.core.actors import SYSTEM
    from tmhub.core.choices import OrgKind
    from tmhub.orgs.services import create_organization

    other = create_organization(actor=SYSTEM, name="另一家律师事务所", kind=OrgKind.LAW_FIRM)
    spec = REGISTRY[SPEC]
    for person in (personas.manager, personas.enterprise, personas.institution_admin,
                   personas.outsider, personas.municipal_admin):
        assert not spec.can_import(get_scope(person)), person
        response = client_for(person).get(reverse("core:import-new", args=[SPEC]))
        assert response.status_code == 404, person
    assert spec.can_import(get_scope(personas.service_provider))
    page = client_for(personas.service_provider).get(reverse("network:service-list"))
    assert 'id="import-services"' in page.content.decode()
    header = ["服务机构", *HEADER]
    job = _import(personas, [[other.name, *_row("律师尽调")],
                             [personas.provider_org.name, *_row("专利撰写")]], header=header)
    assert _errors(job) == {(2, "provider", "invalid_choice")}
    assert not ProviderService.objects.filter(provider=other).exists()


def test_the_city_brings_in_provider_organisations_through_the_organisations_import(personas):
    """The provider organisations (an IP agency, an incubator) are imported by the city with
    the organisations import; they then appear as provider kinds the network lists."""
    job = start_import(REGISTRY["organizations"],
                       xlsx_upload(["名称", "类型", "所在区"],
                                   [["导入知识产权代理机构", "ip_agency", "海淀区"],
                                    ["导入孵化器", "incubator", "朝阳区"]], name="orgs.xlsx"),
                       actor=personas.municipal_admin)
    assert job.status == ImportJob.Status.VALIDATED, job.report
    commit_import(job, actor=personas.municipal_admin)
    assert set(Organization.objects.filter(name__startswith="导入").values_list(
        "kind", flat=True)) == {"ip_agency", "incubator"}
