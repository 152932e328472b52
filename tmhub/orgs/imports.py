"""Excel/CSV import of organisations through the shared import framework."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies
from tmhub.core.choices import OrgKind
from tmhub.core.models import District, IndustryField
from tmhub.core.tabular.importing import ImportColumn, ImportSpec, RowErrors
from tmhub.core.validators import normalize_credit_code, validate_credit_code
from tmhub.orgs import services
from tmhub.orgs.models import Organization


def _kind_lookup() -> dict[str, str]:
    """Accept a kind by its code, Chinese label or English label."""
    from django.utils import translation

    lookup = {}
    for value, _label in OrgKind.choices:
        lookup[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[str(OrgKind(value).label).lower()] = value
    return lookup


class OrganizationImport(ImportSpec):
    kind = "organizations"
    label = gettext_lazy("Organisations")
    columns = [
        ImportColumn("name", ("名称", "name"), required=True),
        ImportColumn("name_en", ("英文名称", "name_en", "english name")),
        ImportColumn("kind", ("类型", "kind"), required=True),
        ImportColumn("credit_code", ("统一社会信用代码", "credit_code", "credit code")),
        ImportColumn("district", ("所在区", "district")),
        ImportColumn("fields", ("产业领域", "fields")),
        ImportColumn("has_transfer_office", ("设有技术转移机构", "has_transfer_office")),
        ImportColumn("website", ("网站", "website")),
        ImportColumn("address", ("地址", "address")),
    ]

    def can_import(self, scope):
        return policies.allows(scope, "create", Organization)

    def new_context(self):
        return {
            "kinds": _kind_lookup(),
            "districts": {
                key.lower(): d for d in District.objects.all()
                for key in (d.code, d.name_zh, d.name_en) if key
            },
            "fields": {
                key.lower(): f for f in IndustryField.objects.all()
                for key in (f.code, f.name_zh, f.name_en) if key
            },
            "names": set(),
            "codes": set(),
        }

    def clean_row(self, raw, context, *, actor):
        errors: dict[str, list[tuple[str, str]]] = {}
        cleaned = {"name": raw.get("name", "").strip(), "name_en": raw.get("name_en", "").strip()}
        if not cleaned["name"]:
            errors.setdefault("name", []).append((_("The name is required."), "required"))
        elif cleaned["name"] in context["names"]:
            errors.setdefault("name", []).append((_("This name appears twice in the file."),
                                                  "duplicate_in_file"))
        elif Organization.objects.filter(name=cleaned["name"]).exists():
            errors.setdefault("name", []).append((_("An organisation with this name exists."),
                                                  "duplicate"))
        context["names"].add(cleaned["name"])
        kind = context["kinds"].get(raw.get("kind", "").strip().lower())
        if kind is None:
            errors.setdefault("kind", []).append(
                (_("Unknown organisation kind."), "invalid_choice"))
        cleaned["kind"] = kind
        code = normalize_credit_code(raw.get("credit_code", ""))
        if code:
            try:
                validate_credit_code(code)
            except ValidationError as exc:
                errors.setdefault("credit_code", []).append((exc.messages[0], exc.code))
            else:
                if code in context["codes"] or Organization.objects.filter(
                    credit_code=code
                ).exists():
                    errors.setdefault("credit_code", []).append(
                        (_("This credit code is already registered."), "duplicate"))
            context["codes"].add(code)
        cleaned["credit_code"] = code or None
        district_text = raw.get("district", "").strip()
        cleaned["district"] = context["districts"].get(district_text.lower())
        if district_text and cleaned["district"] is None:
            errors.setdefault("district", []).append((_("Unknown district."), "invalid_choice"))
        fields = []
        for part in filter(None, (p.strip() for p in raw.get("fields", "").replace("、", ",")
                                  .replace(";", ",").split(","))):
            field = context["fields"].get(part.lower())
            if field is None:
                errors.setdefault("fields", []).append(
                    (_("Unknown industry field: %(name)s") % {"name": part}, "invalid_choice"))
            else:
                fields.append(field)
        cleaned["fields"] = fields
        flag = raw.get("has_transfer_office", "").strip().lower()
        cleaned["has_transfer_office"] = flag in {"1", "yes", "true", "是", "y"}
        cleaned["website"] = raw.get("website", "").strip()
        if cleaned["website"] and not cleaned["website"].startswith(("http://", "https://")):
            errors.setdefault("website", []).append((_("A website starts with http:// or "
                                                        "https://."), "invalid"))
        cleaned["address"] = raw.get("address", "").strip()
        if errors:
            raise RowErrors(errors)
        return cleaned

    def save_row(self, cleaned, *, actor):
        data = dict(cleaned)
        fields = data.pop("fields")
        services.create_organization(actor=actor, fields=fields, **data)
