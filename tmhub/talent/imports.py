"""Excel/CSV import of technology managers (one account + profile per row), all or nothing.

No ID-number oracle (see `tmhub.core.tabular.importing`): for an institution administrator the
dry run checks ID numbers, user names and e-mail addresses only against the people of their own
institutions (`ManagerProfile`/`Membership` change scope) and within the file, with precise
messages; people elsewhere are not looked up, so the dry run reads the same whether they exist
or not. At commit, `held_elsewhere` finds rows whose ID number (or passport) or e-mail address
belongs to someone outside that scope and the whole file is refused with one generic answer; a
user name taken outside the scope is not an error at all: the account gets the next free name
(`name2`, `name3`, …). Names made up for rows without one are random, never derived from the ID
number. Municipal administrators get precise answers for everything, as before.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.models import Membership, User
from tmhub.accounts.services import create_user
from tmhub.core import policies
from tmhub.core.access import CHANGE
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


def _random_username() -> str:
    """A made-up user name: random, so it says nothing about the person's ID number."""
    while True:
        name = "tm" + secrets.token_hex(5)
        if not User.objects.filter(username=name).exists():
            return name


def _free_username(wanted: str) -> str:
    """`wanted`, or the first of wanted2, wanted3, … that is free (max_length respected)."""
    limit = User._meta.get_field("username").max_length
    if not User.objects.filter(username=wanted).exists():
        return wanted
    for n in range(2, 10000):
        candidate = wanted[: limit - len(str(n))] + str(n)
        if not User.objects.filter(username=candidate).exists():
            return candidate
    return _random_username()


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _taxonomy(queryset) -> dict:
    return {key.lower(): item for item in queryset
            for key in (item.code, item.name_zh, item.name_en) if key}


class ManagerImport(ImportSpec):
    kind = "managers"
    label = gettext_lazy("Technology managers")
    identity_fields = frozenset({"id_number", "username", "email", "__all__"})
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
        return policies.allows(scope, "import", ManagerProfile)

    @staticmethod
    def _whole_pool(actor) -> bool:
        """Precise answers about the whole pool (the city); others learn about their own."""
        return policies.allows(actor, "probe_whole_pool", ManagerProfile)

    def commit_notice(self, actor):
        if self._whole_pool(actor):
            return ""
        return _("ID numbers and e-mail addresses were checked against the people of your own "
                 "institution only. When you commit, they are checked against the whole talent "
                 "pool: if a row cannot be imported here, nothing is saved and the city (市科委) "
                 "is told which row and why. A user name taken elsewhere gets a number added.")

    def _profiles(self, actor):
        """Profiles whose duplicates the actor may be told about precisely."""
        if self._whole_pool(actor):
            return ManagerProfile.objects.all()
        return ManagerProfile.objects.restrict(actor, CHANGE)

    def _users(self, actor):
        """Accounts whose user names and e-mail addresses the actor may be told about."""
        if self._whole_pool(actor):
            return User.objects.all()
        return User.objects.filter(
            Q(pk__in=self._profiles(actor).values("user_id"))
            | Q(pk__in=Membership.objects.restrict(actor, CHANGE).values("user_id"))
        )

    def held_elsewhere(self, rows, *, actor):
        if self._whole_pool(actor):
            return []  # the dry run already checked the whole city
        by_digest, by_email = {}, {}
        for row in rows:
            data = row.cleaned
            canonical = protection.normalize_id(data["identity_type"], data["id_number"],
                                                data.get("nationality", ""))
            # Every key's fingerprint: rows not yet re-encrypted carry an older one.
            for digest in protection.digests(canonical):
                by_digest[digest] = row.number
            if data.get("email"):
                by_email[data["email"].lower()] = row.number
        held = []
        for chunk in _chunks(list(by_digest)):
            held += [{"row": by_digest[d], "reason": "id_number"} for d in ManagerProfile.objects
                     .filter(id_number_digest__in=chunk).values_list("id_number_digest", flat=True)]
        for chunk in _chunks(list(by_email)):
            held += [{"row": by_email[e], "reason": "email"} for e in User.objects
                     .annotate(email_lower=Lower("email")).filter(email_lower__in=chunk)
                     .values_list("email_lower", flat=True).distinct()]
        return sorted(held, key=lambda item: item["row"])

    def new_context(self):
        return {
            "choices": {key: _choice_lookup(c) for key, c in CHOICE_COLUMNS.items()},
            "districts": _taxonomy(District.objects.all()),
            "fields": _taxonomy(IndustryField.objects.all()),
            "competences": _taxonomy(Competence.objects.all()),
            "orgs": {},
            "digests": set(),
            "usernames": set(),
            "emails": set(),
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
            canonical = protection.normalize_id(identity_type, number, cleaned["nationality"])
            digest = protection.digest(canonical)
            if digest in context["digests"]:
                error("id_number", _("This ID number appears twice in the file."),
                      "duplicate_in_file")
            elif self._profiles(actor).filter(
                    id_number_digest__in=protection.digests(canonical)).exists():
                error("id_number", _("A technology manager with this ID number is already in "
                                     "the talent pool."), "duplicate_person")
            context["digests"].add(digest)
        cleaned["id_number"] = number
        username = raw.get("username", "").strip()
        if username and username in context["usernames"]:
            error("username", _("This user name appears twice in the file."),
                  "duplicate_in_file")
        elif username and self._users(actor).filter(username=username).exists():
            error("username", _("This user name is taken."), "duplicate")
        context["usernames"].add(username)
        cleaned["username"] = username
        email = cleaned["email"].lower()
        if email and email in context["emails"]:
            error("email", _("This e-mail address appears twice in the file."),
                  "duplicate_in_file")
        elif email and self._users(actor).filter(email__iexact=email).exists():
            error("email", _("A user with this e-mail address exists."), "duplicate")
        context["emails"].add(email)
        employer_text = raw.get("employer", "").strip()
        employer = self._employer(employer_text, context) if employer_text else None
        if employer_text and employer is None:
            error("employer", _("Unknown organisation: %(name)s") % {"name": employer_text},
                  "invalid_choice")
        # A person of one's own institution: the profile policy's `create` for a new account.
        if not policies.allows(actor, "create", ManagerProfile(employer=employer)):
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
        if not errors:
            self._check_formats(cleaned, error)
        if errors:
            raise RowErrors(errors)
        return {k: v for k, v in cleaned.items() if v not in (None, "")} | {
            "fields": cleaned["fields"], "competences": cleaned["competences"],
            "username": cleaned["username"]}

    def _check_formats(self, cleaned, error):
        """What the account and profile models would refuse at commit (lengths, formats,
        choices), reported now and precisely; no uniqueness check (that is the oracle)."""
        user = User(username=cleaned["username"] or "tm0000000000", email=cleaned["email"],
                    display_name=cleaned["full_name"])
        profile = ManagerProfile(**{k: v for k, v in cleaned.items()
                                    if k in services.PROFILE_FIELDS and v is not None})
        for record, exclude, rename in ((user, ["password"], {"display_name": "full_name"}),
                                        (profile, ["user"], {})):
            try:
                record.full_clean(exclude=exclude, validate_unique=False,
                                  validate_constraints=False)
            except ValidationError as exc:
                for key, items in exc.error_dict.items():
                    for item in items:
                        error(rename.get(key, key), item.messages[0], item.code or "invalid")

    def save_row(self, cleaned, *, actor):
        data = dict(cleaned)
        username = data.pop("username")
        if not username:
            username = _random_username()
        elif not self._whole_pool(actor):
            username = _free_username(username)  # taken outside the scope: not an answer
        user = create_user(actor=actor, username=username,
                           password=None, email=data.get("email", ""),
                           display_name=data["full_name"])
        services.create_profile(actor=actor, user=user, id_number=data.pop("id_number"),
                                fields=data.pop("fields"),
                                competences=data.pop("competences"), **data)
