"""The annual statistical report (issue 19 item 5, SPEC §10): one data model, two formats —
(a) the dimensions of the national annual report on technology transfer by universities and
institutes (《中国科技成果转化年度报告》) and (b) the AUTM Licensing Survey's key metrics — for
any year, reproducible as of a chosen day: a record counts only when it had been entered by the
end of that day (Beijing time), so records added or corrected later leave the report for a past
date unchanged (corrections are reversing entries with their own recording time).

Figures are read in the reader's scope (tmhub.insights.dashboard's institutions in scope).
Before an institution submits its year, `checks()` flags anomalies with a link to the record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.insights import dashboard

YOY_THRESHOLD = 3.0  # income more than three times the year before is flagged


@dataclass
class Figure:
    key: str
    label: str
    value: object  # int (count), yuan (float), or None when the platform does not record it
    unit: str  # "count" | "yuan"
    section: str  # "national" | "autm"
    note: str = ""


@dataclass
class Report:
    year: int
    as_of: datetime.date
    figures: list[Figure] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"year": self.year, "as_of": self.as_of.isoformat(),
                "figures": [{"key": f.key, "label": f.label, "value": f.value, "unit": f.unit,
                             "section": f.section, "note": f.note} for f in self.figures]}


def cutoff(as_of: datetime.date) -> datetime.datetime:
    """The end of `as_of` in Beijing: records entered before it count."""
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time(),
                                     tzinfo=tz)


def _yuan(fen) -> float:
    return round((fen or 0) / 100, 2)


def build(year: int, as_of: datetime.date, scope) -> Report:
    from tmhub.districts.choices import LandingKind
    from tmhub.districts.models import Landing
    from tmhub.transfer.choices import PATENT_TYPES, ContractKind, SplitStatus, TransferMode
    from tmhub.transfer.models import Achievement, Contract, IPRecord, Receipt, RewardSplit

    end = cutoff(as_of)
    window = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    institutions = dashboard.institutions_in_scope(scope).filter(created_at__lt=end)
    report = Report(year, as_of)
    add = report.figures.append

    contracts = Contract.objects.filter(institution__in=institutions, signed_on__range=window,
                                        created_at__lt=end)
    by_kind = {k: (n, a) for k, n, a in contracts.values_list("kind").order_by()
               .annotate(n=Count("pk"), a=Sum("amount_fen"))}
    for kind, key in ((ContractKind.ASSIGNMENT, "transfer"), (ContractKind.LICENCE, "licence"),
                      (ContractKind.DEVELOPMENT, "development"),
                      (ContractKind.CONSULTING, "consulting"), (ContractKind.SERVICE, "service")):
        n, amount = by_kind.get(kind, (0, 0))
        label = str(ContractKind(kind).label)
        add(Figure(f"{key}_count", _("%(kind)s contracts: number") % {"kind": label}, n,
                   "count", "national"))
        add(Figure(f"{key}_value", _("%(kind)s contracts: value") % {"kind": label},
                   _yuan(amount), "yuan", "national"))
    splits = RewardSplit.objects.filter(institution__in=institutions, income_date__range=window,
                                        status=SplitStatus.APPROVED, approved_at__lt=end)
    equity = splits.filter(transfer_mode=TransferMode.EQUITY)
    add(Figure("equity_count", _("Equity investment: number"), equity.count(),
               "count", "national"))
    add(Figure("equity_value", _("Equity investment: value"),
               _yuan(equity.aggregate(v=Sum("amount_fen"))["v"]), "yuan", "national"))
    add(Figure("rewards_cash", _("Rewards to individuals: cash"),
               _yuan(splits.exclude(transfer_mode=TransferMode.EQUITY)
                     .aggregate(v=Sum("team_fen"))["v"]), "yuan", "national"))
    add(Figure("rewards_equity", _("Rewards to individuals: equity"),
               _yuan(equity.aggregate(v=Sum("team_fen"))["v"]), "yuan", "national"))
    add(Figure("transfer_offices", _("Institutions running a technology-transfer office"),
               institutions.filter(has_transfer_office=True, is_active=True).count(), "count",
               "national"))

    add(Figure("research_expenditure", _("Research expenditure"), None, "yuan", "autm",
               _("Not recorded by the platform.")))
    add(Figure("disclosures", _("Invention disclosures received"),
               Achievement.objects.filter(owner__in=institutions, disclosed_on__range=window,
                                          created_at__lt=end).count(), "count", "autm"))
    add(Figure("patent_applications", _("New patent applications filed"),
               IPRecord.objects.filter(achievement__owner__in=institutions,
                                       achievement__created_at__lt=end,
                                       ip_type__in=PATENT_TYPES, filed_on__range=window).count(),
               "count", "autm"))
    add(Figure("licences_executed", _("Licences executed"), by_kind.get(
        ContractKind.LICENCE, (0, 0))[0], "count", "autm"))
    add(Figure("options_executed", _("Options executed"), None, "count", "autm",
               _("Not recorded by the platform.")))
    add(Figure("licence_income", _("Licence income"), _yuan(Receipt.objects.filter(
        contract__institution__in=institutions, contract__kind=ContractKind.LICENCE,
        received_on__range=window, recorded_at__lt=end).aggregate(v=Sum("amount_fen"))["v"]),
        "yuan", "autm"))
    startups = Landing.objects.filter(kind=LandingKind.COMPANY, occurred_on__range=window,
                                      created_at__lt=end)
    if not scope.is_municipal:
        startups = startups.filter(district__in=dashboard.districts_in_scope(scope))
    add(Figure("startups", _("Startups formed"), startups.count(), "count", "autm",
               _("Companies founded, as the districts record them.")))
    return report


@dataclass
class Check:
    code: str
    message: str
    record: str
    url: str | None


def checks(year: int, scope, threshold: float = YOY_THRESHOLD) -> list[Check]:
    """Anomalies to fix before an institution submits its year: income without a contract,
    a contract without a registration number, rewards above net income, and income more
    than `threshold` times the year before."""
    from tmhub.transfer.choices import SplitStatus
    from tmhub.transfer.models import Contract, Cost, Receipt, RewardSplit

    window = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    before = (datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31))
    institutions = list(dashboard.institutions_in_scope(scope))
    found: list[Check] = []
    for split in RewardSplit.objects.filter(institution__in=institutions, contract__isnull=True,
                                            income_date__range=window).exclude(
            status=SplitStatus.CANCELLED).select_related("institution"):
        found.append(Check("income_without_contract",
                           _("Income split without a contract"),
                           f"{split.institution} · {split.number or split.pk}",
                           _url(split)))
    for contract in Contract.objects.filter(institution__in=institutions,
                                            signed_on__range=window).filter(
            Q(registration_number="") | Q(registration_number__isnull=True)):
        found.append(Check("contract_unregistered",
                           _("Contract without a technology-contract registration number"),
                           f"{contract.number} {contract.title}", _url(contract)))

    def per_institution(queryset, path, dated, amount="amount_fen"):
        return dict(queryset.values_list(path).order_by().annotate(v=Sum(amount)))

    ids = [o.pk for o in institutions]
    income = per_institution(Receipt.objects.filter(contract__institution_id__in=ids,
                                                    received_on__range=window),
                             "contract__institution_id", "received_on")
    last = per_institution(Receipt.objects.filter(contract__institution_id__in=ids,
                                                  received_on__range=before),
                           "contract__institution_id", "received_on")
    costs = per_institution(Cost.objects.filter(contract__institution_id__in=ids,
                                                incurred_on__range=window),
                            "contract__institution_id", "incurred_on")
    rewards = per_institution(RewardSplit.objects.filter(
        institution_id__in=ids, income_date__range=window, status=SplitStatus.APPROVED),
        "institution_id", "income_date", "team_fen")
    for org in institutions:
        net = (income.get(org.pk) or 0) - (costs.get(org.pk) or 0)
        if (rewards.get(org.pk) or 0) > net:
            found.append(Check("rewards_above_net_income",
                               _("Rewards to individuals above the year's net income"),
                               f"{org} · {_yuan(rewards[org.pk])} > {_yuan(net)}",
                               _url(org)))
        now, then = income.get(org.pk) or 0, last.get(org.pk) or 0
        if then > 0 and now > threshold * then:
            found.append(Check("year_on_year_jump",
                               _("Income more than %(n)s times the year before") % {
                                   "n": threshold},
                               f"{org} · {_yuan(then)} → {_yuan(now)}", _url(org)))
    return found


def _url(obj):
    try:
        return obj.get_absolute_url()
    except Exception:  # noqa: BLE001 - a record without a page is listed without a link
        return None


def pdf(report: Report, title: str) -> bytes:
    """The report as a PDF: the Chinese font embedded (tmhub.core.pdf.cjk_font), the figures
    of both formats as tables and the year's contracts by kind as a bar chart."""
    import io

    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    from tmhub.core.pdf import cjk_font, para, plain

    font = cjk_font()
    heading = ParagraphStyle("h", fontName=font, fontSize=15, leading=20)
    body = ParagraphStyle("b", fontName=font, fontSize=9, leading=12)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm,
                            topMargin=16 * mm, bottomMargin=16 * mm, title=plain(title))
    story = [para(title, heading), Spacer(1, 3 * mm),
             para(_("Year %(year)s, figures as the records stood at the end of %(day)s.") % {
                 "year": report.year, "day": report.as_of.isoformat()}, body),
             Spacer(1, 4 * mm)]
    counts = [f for f in report.figures if f.section == "national" and f.key.endswith("_count")]
    chart = Drawing(170 * mm, 60 * mm)
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 12 * mm, 12 * mm, 150 * mm, 42 * mm
    bars.data = [[f.value or 0 for f in counts]]
    bars.categoryAxis.categoryNames = [plain(f.label.split(":")[0].split("：")[0])[:10]
                                       for f in counts]
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = 7
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.valueMin = 0
    bars.bars[0].fillColor = colors.HexColor("#0d6efd")
    chart.add(bars)
    chart.add(String(12 * mm, 56 * mm, plain(_("Contracts by kind (number)")), fontName=font,
                     fontSize=9))
    story += [chart, Spacer(1, 4 * mm)]
    for section, name in (("national", _("National annual report on technology transfer")),
                          ("autm", _("AUTM Licensing Survey key metrics"))):
        rows = [[para(_("Figure"), body), para(_("Value"), body), para(_("Note"), body)]]
        for f in report.figures:
            if f.section == section:
                value = _("not recorded") if f.value is None else (
                    f"{f.value:,.2f}" if f.unit == "yuan" else f"{f.value:,}")
                rows.append([para(f.label, body), para(value, body), para(f.note, body)])
        table = Table(rows, colWidths=[90 * mm, 35 * mm, 53 * mm], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef"))]))
        story += [para(name, body), Spacer(1, 2 * mm), table, Spacer(1, 5 * mm)]
    doc.build(story)
    return buffer.getvalue()
