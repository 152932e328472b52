"""Excel/CSV import of technology managers (one account + profile per row), all or nothing."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.models import User
from tmhub.accounts.services import create_user
from tmhub.core.access import get_scope
from tmhub.core.models import District, IndustryField
from tmhub.core.tabular.importing import ImportColumn, ImportSpec, RowErrors
from tmhub.orgs.models import Organization
from tmhub.talent import protection, services
from tmhub.talent.choices import (
    Degree,
    EmploymentType,
    EntryRoute,
    IdentityType,
    ProfessionalTitle,
    TrainingLevel,
)
from tmhub.talent.models import Competence, ManagerProfile

CHOICE_COLUMNS = {
    "identity_type": IdentityType, "employment_type": EmploymentType, "degree": Degree,
    "training_level": TrainingLevel, "professional_title": ProfessionalTitle,
    "entry_route": EntryRoute,
}


def _choice_lookup(choices) -> dict[str, str]:
    """Accept a choice by its code, Chinese label or English label."""
    lookup = {}
    for value, _label in choices.choices:
        lookup[value.lower()] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                lookup[str(choices(value).label).lower()] = value
    return lookup


def _split(text: str) -> list[str]:
    for sep in ("、", "，", ";", "；", "|"):
        text = text.replace(sep, ",")
    return [p.strip() for p in text.split(",") if p.strip()]


def _taxonomy(queryset) -> dict:
    return {key.lower(): item for item in queryset
            for key in (item.code, item.name_zh, item.name_en) if key}


class ManagerImport(ImportSpec):
    kind = "managers"
    label = gettext_lazy("Technology managers")
    columns = [
        ImportColumn("full_name", ("姓名", "full_name", "name"), required=True),
        ImportColumn("id_number", ("证件号码", "身份证号", "id_number", "id number"),
                     required=True),
        ImportColumn("identity_type", ("证件类型", "identity_type", "document")),
        ImportColumn("nationality", ("国籍", "nationality")),
        ImportColumn("username", ("用户名", "username")),
        ImportColumn("email", ("邮箱", "email", "e-mail")),
        ImportColumn("phone", ("手机", "phone")),
        ImportColumn("employer", ("工作单位", "employer")),
        ImportColumn("employment_type", ("专兼职", "employment_type", "employment")),
        ImportColumn("work_district", ("工作所在区", "work_district", "district")),
        ImportColumn("degree", ("学历", "degree")),
        ImportColumn("school", ("毕业院校", "school")),
        ImportColumn("major", ("专业", "major")),
        ImportColumn("fields", ("产业领域", "fields")),
        ImportColumn("competences", ("专业能力", "competences")),
        ImportColumn("training_level", ("培训等级", "training_level", "level")),
        ImportColumn("professional_title", ("职称", "professional_title", "title")),
        ImportColumn("entry_route", ("入库方式", "entry_route", "route")),
        ImportColumn("bio", ("简介", "bio")),
    ]

    def can_import(self, scope):
        return scope.is_municipal or bool(scope.orgs("institution_admin"))

    def new_context(self):
        return {
            "choices": {key: _choice_lookup(c) for key, c in CHOICE_COLUMNS.items()},
            "districts": _taxonomy(District.objects.all()),
            "fields": _taxonomy(IndustryField.objects.all()),
            "competences": _taxonomy(Competence.objects.all()),
            "orgs": {},
            "digests": set(),
            "usernames": set(),
        }

    def _employer(self, text, context):
        if text not in context["orgs"]:
            context["orgs"][text] = (
                Organization.objects.filter(name=text).first()
                or Organization.objects.filter(credit_code=text.upper()).first()
            )
        return context["orgs"][text]

    def clean_row(self, raw, context, *, actor):
        errors: dict[str, list[tuple[str, str]]] = {}

        def error(key, message, code):
            errors.setdefault(key, []).append((message, code))

        cleaned = {k: raw.get(k, "").strip() for k in (
            "full_name", "nationality", "email", "phone", "school", "major", "bio")}
        if not cleaned["full_name"]:
            error("full_name", _("The name is required."), "required")
        for key, lookup in context["choices"].items():
            text = raw.get(key, "").strip()
            if not text:
                continue
            value = lookup.get(text.lower())
            if value is None:
                error(key, _("Unknown value: %(value)s") % {"value": text}, "invalid_choice")
            cleaned[key] = value
        identity_type = cleaned.get("identity_type") or IdentityType.RESIDENT_ID
        cleaned["identity_type"] = identity_type
        if identity_type == IdentityType.RESIDENT_ID and not cleaned["nationality"]:
            cleaned["nationality"] = "中国"
        try:
            number = services.clean_identity(identity_type, raw.get("id_number", ""),
                                             cleaned["nationality"])
        except ValidationError as exc:
            for key, items in exc.error_dict.items():
                for item in items:
                    error(key, item.messages[0], item.code or "invalid")
            number = ""
        if number:
            digest = protection.digest(
                protection.normalize_id(identity_type, number, cleaned["nationality"]))
            if digest in context["digests"]:
                error("id_number", _("This ID number appears twice in the file."),
                      "duplicate_in_file")
            elif ManagerProfile.objects.filter(id_number_digest=digest).exists():
                error("id_number", _("A technology manager with this ID number is already in "
                                     "the talent pool."), "duplicate_person")
            context["digests"].add(digest)
        cleaned["id_number"] = number
        username = raw.get("username", "").strip() or (
            "tm" + hashlib.sha256(number.encode()).hexdigest()[:10] if number else "")
        if username and (username in context["usernames"]
                         or User.objects.filter(username=username).exists()):
            error("username", _("This user name is taken."), "duplicate")
        context["usernames"].add(username)
        cleaned["username"] = username
        employer_text = raw.get("employer", "").strip()
        employer = self._employer(employer_text, context) if employer_text else None
        if employer_text and employer is None:
            error("employer", _("Unknown organisation: %(name)s") % {"name": employer_text},
                  "invalid_choice")
        scope = get_scope(actor)
        if not scope.is_municipal and (employer is None
                                       or employer.pk not in scope.orgs("institution_admin")):
            error("employer", _("You can import only people of your own institution."),
                  "out_of_scope")
        cleaned["employer"] = employer
        district_text = raw.get("work_district", "").strip()
        cleaned["work_district"] = context["districts"].get(district_text.lower())
        if district_text and cleaned["work_district"] is None:
            error("work_district", _("Unknown district."), "invalid_choice")
        if cleaned["work_district"] is None and employer is not None:
            cleaned["work_district"] = employer.district
        for key in ("fields", "competences"):
            items = []
            for part in _split(raw.get(key, "")):
                item = context[key].get(part.lower())
                if item is None:
                    error(key, _("Unknown value: %(value)s") % {"value": part}, "invalid_choice")
                else:
                    items.append(item)
            cleaned[key] = items
        if errors:
            raise RowErrors(errors)
        return {k: v for k, v in cleaned.items() if v not in (None, "")} | {
            "fields": cleaned["fields"], "competences": cleaned["competences"]}

    def save_row(self, cleaned, *, actor):
        data = dict(cleaned)
        user = create_user(actor=actor, username=data.pop("username"),
                           password=None, email=data.get("email", ""),
                           display_name=data["full_name"])
        services.create_profile(actor=actor, user=user, id_number=data.pop("id_number"),
                                fields=data.pop("fields"),
                                competences=data.pop("competences"), **data)
