"""Excel/CSV imports of the pilots (issue 15 item 11), through core's import framework (dry
run with every row's errors, all-or-nothing commit): the funded projects the city selects as
pilots, and their transfer KPIs. Each row is saved by the same service as the page's form."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.access import CHANGE
from tmhub.core.models import District, IndustryField
from tmhub.core.roles import Role
from tmhub.core.tabular.importing import (
    ImportColumn,
    ImportSpec,
    RowErrorCollector,
    lookup_by,
)
from tmhub.pilots import services
from tmhub.pilots.models import KpiType, Pilot, Programme

MAX_BUDGET_FEN = 10**15


def _date(text: str):
    text = (text or "").strip()[:10]
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _decimal(text: str):
    try:
        value = Decimal((text or "").strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class PilotImport(ImportSpec):
    """Funded projects selected as pilots (the city only)."""

    kind = "pilots"
    label = gettext_lazy("Funded-project pilots")
    columns = [
        ImportColumn("programme", ("项目类别", "programme"), required=True),
        ImportColumn("code", ("项目编号", "project code", "code"), required=True),
        ImportColumn("title", ("项目名称", "title"), required=True),
        ImportColumn("institution", ("承担单位", "undertaking institution", "institution"),
                     required=True),
        ImportColumn("principal_investigator", ("项目负责人", "principal investigator"),
                     required=True),
        ImportColumn("budget", ("经费（元）", "经费", "budget (yuan)", "budget"), required=True),
        ImportColumn("starts_on", ("开始日期", "starts on"), required=True),
        ImportColumn("ends_on", ("结束日期", "ends on"), required=True),
        ImportColumn("field", ("产业领域", "field")),
        ImportColumn("district", ("所在区", "district")),
        ImportColumn("selection_reason", ("遴选理由", "reason for selection", "reason"),
                     required=True),
    ]

    def can_import(self, scope):
        return policies.allows(scope, "create", Pilot)

    def new_context(self):
        from tmhub.orgs.models import Organization

        return {
            "programmes": lookup_by(Programme.objects.all(), "code", "name_zh", "name_en"),
            "institutions": lookup_by(Organization.objects.all(), "name", "name_en"),
            "fields": lookup_by(IndustryField.objects.all(), "code", "name_zh", "name_en"),
            "districts": lookup_by(District.objects.all(), "code", "name_zh", "name_en"),
            "codes": set(),
        }

    def clean_row(self, raw, context, *, actor):
        e = RowErrorCollector()
        cleaned = {key: (raw.get(key) or "").strip() for key in
                   ("code", "title", "principal_investigator", "selection_reason")}
        for key in cleaned:
            if not cleaned[key]:
                e.add(key, _("This column is required."), "required")
        code = cleaned["code"]
        if code and code in context["codes"]:
            e.add("code", _("This project code appears twice in the file."),
                  "duplicate_in_file")
        elif code and Pilot.objects.filter(code=code).exists():
            e.add("code", _("A pilot with this project code exists."), "duplicate")
        context["codes"].add(code)
        for key, table, message in (
                ("programme", "programmes", _("Unknown funding programme.")),
                ("institution", "institutions", _("Unknown institution."))):
            value = context[table].get((raw.get(key) or "").strip().lower())
            if value is None:
                e.add(key, message, "invalid_choice")
            cleaned[key] = value
        for key, table, message in (("field", "fields", _("Unknown industry field.")),
                                    ("district", "districts", _("Unknown district."))):
            text = (raw.get(key) or "").strip()
            cleaned[key] = context[table].get(text.lower()) if text else None
            if text and cleaned[key] is None:
                e.add(key, message, "invalid_choice")
        budget = _decimal(raw.get("budget"))
        if budget is None or budget < 0 or budget != budget.quantize(Decimal("0.01")) \
                or budget * 100 > MAX_BUDGET_FEN:
            e.add("budget", _("Give the budget in yuan (a number with at most two "
                              "decimals)."), "invalid")
        else:
            cleaned["budget_fen"] = int(budget * 100)
        for key in ("starts_on", "ends_on"):
            cleaned[key] = _date(raw.get(key))
            if cleaned[key] is None:
                e.add(key, _("Give a date as 2024-01-31."), "invalid_date")
        starts, ends = cleaned["starts_on"], cleaned["ends_on"]
        if starts and ends and ends < starts:
            e.add("ends_on", _("The project cannot end before it starts."), "period_order")
        e.raise_any()
        return cleaned

    def save_row(self, cleaned, *, actor):
        services.select_pilot(actor=actor, **cleaned)


class PilotKpiImport(ImportSpec):
    """Transfer KPIs of pilots the importer steers (the city, a programme officer)."""

    kind = "pilot-kpis"
    label = gettext_lazy("Pilot KPIs")
    columns = [
        ImportColumn("pilot", ("项目编号", "project code", "pilot"), required=True),
        ImportColumn("kpi_type", ("指标类型", "kpi type", "type"), required=True),
        ImportColumn("target", ("目标值", "target"), required=True),
        ImportColumn("due_on", ("完成期限", "due date", "due on"), required=True),
        ImportColumn("weight", ("权重", "weight")),
    ]

    def can_import(self, scope):
        return scope.is_municipal or scope.has_role(Role.DEPARTMENT_OFFICER)

    def new_context(self):
        types = {}
        for kpi_type in KpiType.objects.all():
            types[kpi_type.code.lower()] = kpi_type
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    types[str(kpi_type.name).strip().lower()] = kpi_type
        return {"types": types, "pilots": {}, "seen": set()}

    def clean_row(self, raw, context, *, actor):
        e = RowErrorCollector()
        code = (raw.get("pilot") or "").strip()
        pilot = context["pilots"].get(code)
        if pilot is None and code:
            # Only pilots the importer steers: any other looks like one that does not exist.
            pilot = Pilot.objects.restrict(actor, CHANGE).filter(code=code).first()
            context["pilots"][code] = pilot
        if pilot is None or not policies.allows(actor, "steer", pilot):
            e.add("pilot", _("No pilot with this project code that you steer."),
                  "invalid_choice")
            pilot = None
        kpi_type = context["types"].get((raw.get("kpi_type") or "").strip().lower())
        if kpi_type is None:
            e.add("kpi_type", _("Unknown KPI type."), "invalid_choice")
        if pilot is not None and kpi_type is not None:
            key = (pilot.pk, kpi_type.pk)
            if key in context["seen"]:
                e.add("kpi_type", _("This pilot's KPI of this type appears twice in the "
                                    "file."), "duplicate_in_file")
            elif pilot.kpis.filter(kpi_type=kpi_type).exists():
                e.add("kpi_type", _("The pilot already has a KPI of this type."), "duplicate")
            context["seen"].add(key)
        target = _decimal(raw.get("target"))
        if target is None or target <= 0 or target != target.quantize(Decimal("0.01")) \
                or target >= Decimal("1e12"):
            e.add("target", _("Give a positive target (at most two decimals)."), "invalid")
        due_on = _date(raw.get("due_on"))
        if due_on is None:
            e.add("due_on", _("Give a date as 2024-01-31."), "invalid_date")
        weight_text = (raw.get("weight") or "").strip()
        weight = int(weight_text) if weight_text.isdigit() and len(weight_text) < 4 else None
        if weight_text and (weight is None or not 1 <= weight <= 100):
            e.add("weight", _("The weight is a whole number from 1 to 100."), "invalid")
        e.raise_any()
        return {"pilot": pilot, "kpi_type": kpi_type, "target": target, "due_on": due_on,
                "weight": weight or 1}

    def save_row(self, cleaned, *, actor):
        data = dict(cleaned)
        pilot = data.pop("pilot")
        services.add_kpi(pilot, actor=actor, **data)
