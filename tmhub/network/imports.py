"""Excel/CSV import of a provider's service catalogue (issue 14 item 7), through core's import
framework: a dry run reports every row's errors by field, in both UI languages; a clean file
commits whole, each row saved by `services.create_service` as a draft the provider then
submits for the city's review, exactly as an entry typed on the page.

Who imports: the users of a provider organisation, into their own catalogue. The provider
organisations themselves come in through the organisations import (the city; its kinds
include IP agencies, law and accounting firms, incubators, investors…). Importing the same
file twice creates nothing twice: a row whose provider already lists a service with the same
title is refused as a duplicate (the importer sees all of its own catalogue, so the message is
precise), and a committed import is never committed again (core)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core.models import District, IndustryField
from tmhub.core.tabular.importing import (
    ImportColumn,
    ImportSpec,
    RowErrorCollector,
    lookup_by,
)
from tmhub.network import services
from tmhub.network.models import ProviderService, ServiceType
from tmhub.network.policies import providers_of

MAX_PRICE_FEN = 10**13  # a hundred billion yuan: beyond it a cell is a typing error
YES = {"1", "yes", "y", "true", "是", "有", "√"}
NO = {"", "0", "no", "n", "false", "否", "无", "×"}


def _decimal(text: str):
    try:
        value = Decimal((text or "").strip().replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _parts(text: str) -> list[str]:
    for sep in ("、", "，", ";", "；", "/"):
        text = text.replace(sep, ",")
    return [p.strip() for p in text.split(",") if p.strip()]


class ProviderServiceImport(ImportSpec):
    """Services of the importer's own provider organisation(s), as drafts."""

    kind = "network-services"
    label = gettext_lazy("Provider services")
    columns = [
        ImportColumn("provider", ("服务机构", "provider")),
        ImportColumn("service_type", ("服务类型", "service type"), required=True),
        ImportColumn("title", ("服务名称", "title"), required=True),
        ImportColumn("title_en", ("英文名称", "english title", "title_en")),
        ImportColumn("description", ("服务说明", "description")),
        ImportColumn("fields", ("服务领域", "fields served", "fields")),
        ImportColumn("districts", ("服务区域", "districts served", "districts")),
        ImportColumn("price_min", ("最低价格（元）", "最低价格", "price from (yuan)",
                                   "price from")),
        ImportColumn("price_max", ("最高价格（元）", "最高价格", "price up to (yuan)",
                                   "price up to")),
        ImportColumn("price_on_request", ("面议", "price on request")),
        ImportColumn("capacity", ("年服务能力（件）", "年服务能力", "capacity (cases a year)",
                                  "capacity")),
        ImportColumn("languages", ("服务语言", "languages")),
        ImportColumn("international", ("国际服务能力", "international reach", "international")),
    ]

    def can_import(self, scope):
        return bool(scope.user_id) and providers_of(scope).exists()

    def new_context(self):
        types = {}
        for service_type in ServiceType.objects.filter(is_active=True):
            types[service_type.code.lower()] = service_type
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    types[str(service_type.name).strip().lower()] = service_type
        return {
            "types": types,
            "fields": lookup_by(IndustryField.objects.all(), "code", "name_zh", "name_en"),
            "districts": lookup_by(District.objects.all(), "code", "name_zh", "name_en"),
            "providers": None,  # the importer's own, read on the first row (needs the actor)
            "seen": set(),
        }

    def _providers(self, context, actor):
        if context["providers"] is None:
            from tmhub.core.access import get_scope

            own = list(providers_of(get_scope(actor)))
            context["providers"] = {"all": own, **lookup_by(own, "name", "name_en")}
        return context["providers"]

    def clean_row(self, raw, context, *, actor):
        e = RowErrorCollector()
        text = {key: (raw.get(key) or "").strip() for key in
                ("provider", "title", "title_en", "description", "languages")}
        cleaned = {"title": text["title"][:200], "title_en": text["title_en"][:200],
                   "description": text["description"], "languages": text["languages"]}
        own = self._providers(context, actor)
        if text["provider"]:
            provider = own.get(text["provider"].lower())
            if provider is None:
                # Only the importer's own provider organisations: any other reads as unknown.
                e.add("provider", _("Not a provider organisation you act for."),
                      "invalid_choice")
        elif len(own["all"]) == 1:
            provider = own["all"][0]
        else:
            provider = None
            e.add("provider", _("You act for several providers: name the provider "
                                "organisation on each row."), "required")
        cleaned["provider"] = provider
        if not cleaned["title"]:
            e.add("title", _("This column is required."), "required")
        if len(text["title"]) > 200 or len(text["title_en"]) > 200:
            e.add("title", _("A title has at most 200 characters."), "max_length")
        if len(cleaned["description"]) > 2000:
            e.add("description", _("At most 2000 characters."), "max_length")
        if len(cleaned["languages"]) > 100:
            e.add("languages", _("At most 100 characters."), "max_length")
        service_type = context["types"].get((raw.get("service_type") or "").strip().lower())
        if service_type is None:
            e.add("service_type", _("Unknown service type."), "invalid_choice")
        cleaned["service_type"] = service_type
        if provider is not None and cleaned["title"]:
            key = (provider.pk, cleaned["title"].lower())
            if key in context["seen"]:
                e.add("title", _("This provider's service appears twice in the file."),
                      "duplicate_in_file")
            elif ProviderService.objects.filter(provider=provider,
                                                title__iexact=cleaned["title"]).exists():
                e.add("title", _("The provider already lists a service with this title."),
                      "duplicate")
            context["seen"].add(key)
        for key, table, message in (("fields", "fields", _("Unknown industry field: %(name)s")),
                                    ("districts", "districts", _("Unknown district: %(name)s"))):
            found = []
            for part in _parts(raw.get(key) or ""):
                value = context[table].get(part.lower())
                if value is None:
                    e.add(key, message % {"name": part}, "invalid_choice")
                else:
                    found.append(value)
            cleaned[key] = found
        for key, target in (("price_min", "price_min_fen"), ("price_max", "price_max_fen")):
            cell = (raw.get(key) or "").strip()
            value = _decimal(cell) if cell else None
            if cell and (value is None or value < 0 or value != value.quantize(Decimal("0.01"))
                         or value * 100 > MAX_PRICE_FEN):
                e.add(key, _("Give the price in yuan (a number with at most two decimals)."),
                      "invalid")
                value = None
            cleaned[target] = None if value is None else int(value * 100)
        for key in ("price_on_request", "international"):
            cell = (raw.get(key) or "").strip().lower()
            if cell not in YES | NO:
                e.add(key, _("Write 是 or 否 (yes or no)."), "invalid")
            cleaned[key] = cell in YES
        low, high = cleaned["price_min_fen"], cleaned["price_max_fen"]
        if low is not None and high is not None and low > high:
            e.add("price_max", _("The upper price must not be below the lower price."),
                  "price_range")
        if (not cleaned["price_on_request"] and low is None and high is None
                and "price_min" not in e.errors and "price_max" not in e.errors):
            e.add("price_on_request", _("Give a price range or mark the price as on request."),
                  "price_missing")
        capacity = (raw.get("capacity") or "").strip()
        cleaned["capacity"] = int(capacity) if capacity.isdigit() and len(capacity) < 7 else None
        if capacity and not cleaned["capacity"]:
            e.add("capacity", _("The capacity is a whole number of cases a year (at least 1)."),
                  "invalid")
        e.raise_any()
        return cleaned

    def save_row(self, cleaned, *, actor):
        data = dict(cleaned)
        services.create_service(actor=actor, provider=data.pop("provider"), **data)
