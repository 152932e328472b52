"""What each index holds: records of the database turned into engine documents.

One ``Source`` per kind says which rows are indexed (only what the marketplace may show:
published achievements and demands, manager profiles, active service providers) and how a row
becomes a document: text fields plus scalar structured attributes that the queries in
``services.py`` ask to match. Visibility is still checked per user on every read; the index
never decides who sees what.

Every source answers ``queryset()`` (the rows that belong in the index, ready to become
documents), ``document(row)``, ``documents()`` (a full rebuild) and ``indexable(pk)`` (one row,
or None when it must leave the index). ``subscriptions.py`` keeps each index current from the
event bus, one document at a time.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from functools import lru_cache

from tmhub.core.choices import SERVICE_PROVIDER_KINDS

FLAG = "y"
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


@lru_cache(maxsize=1)
def provider_services() -> dict[str, list[str]]:
    """{provider kind: the services it offers, in Chinese and English} (``data/
    provider_services.json``): the words a need is written in."""
    with open(os.path.join(DATA_DIR, "provider_services.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    return {kind: [w for words in lists for w in words] for kind, lists in data.items()
            if not kind.startswith("_")}


def price_band(fen: int | None) -> int | None:
    """Order of magnitude of an amount in yuan (1 = 10 yuan … 7 = ten million yuan): budget
    fit compares bands, since a closeness over raw fen would be meaningless."""
    if not fen or fen <= 0:
        return None
    return int(math.floor(math.log10(max(fen / 100, 1))))


def doc_id(pk: int) -> str:
    """Index id of a row: the primary key zero-padded, so the engine's (string) id order is
    the rows' creation order and exact score ties break the same way in every index."""
    return f"{int(pk):012d}"


def field_flag(code: str) -> str:
    """Attribute name for 'serves industry field <code>' (the engine's attributes are scalar,
    so a many-valued relation becomes one flag attribute per value)."""
    return f"field:{code}"


def _split_keywords(text: str) -> list[str]:
    return [k.strip() for k in (text or "").replace("，", ",").replace("；", ",")
            .replace(";", ",").split(",") if k.strip()]


class AchievementSource:
    """Published achievements (confidential drafts and withdrawn records are never indexed)."""

    kind = "achievements"
    model = "transfer.Achievement"
    # the fields document() reads: an update of any other field leaves the index alone
    fields = frozenset({"title", "abstract", "keywords", "discipline", "field", "trl", "owner",
                        "asking_price_fen", "publish_asking_terms", "status"})

    def queryset(self):
        from tmhub.transfer.choices import AchievementStatus
        from tmhub.transfer.models import Achievement

        return (Achievement.objects.filter(status=AchievementStatus.PUBLISHED)
                .select_related("discipline", "field", "owner__district", "external_record")
                .order_by("pk"))

    def document(self, achievement) -> dict:
        record = getattr(achievement, "external_record", None)
        attributes = {
            "discipline": (achievement.discipline.code if achievement.discipline_id
                           else (record.discipline_label if record else None)),
            "category": record.category_label if record else None,
            "field": achievement.field.code if achievement.field_id else None,
            "trl": achievement.trl,
            "district": (achievement.owner.district.code if achievement.owner.district_id
                         else None),
            "price_band": (price_band(achievement.asking_price_fen)
                           if achievement.publish_asking_terms else None),
        }
        return {
            "id": doc_id(achievement.pk),
            "title": "" if record and record.title_generated else achievement.title,
            "abstract": achievement.abstract,
            "keywords": achievement.keyword_list,
            "attributes": attributes,
        }

    def documents(self) -> Iterator[dict]:
        for achievement in self.queryset().iterator(chunk_size=2000):
            yield self.document(achievement)

    def indexable(self, pk: int):
        """The row if it belongs in the index now, else None."""
        return self.queryset().filter(pk=pk).first()


class DemandSource:
    """Published technology demands (contact details are never indexed)."""

    kind = "demands"
    model = "transfer.Demand"
    fields = frozenset({"title", "problem", "expected_outcome", "keywords", "field", "district",
                        "budget_min_fen", "budget_max_fen", "status"})

    def queryset(self):
        from tmhub.transfer.choices import DemandStatus
        from tmhub.transfer.models import Demand

        return (Demand.objects.filter(status=DemandStatus.PUBLISHED)
                .select_related("field", "district").order_by("pk"))

    def document(self, demand) -> dict:
        return {
            "id": doc_id(demand.pk),
            "title": demand.title,
            "abstract": "\n".join(p for p in (demand.problem, demand.expected_outcome) if p),
            "keywords": demand.keyword_list,
            "attributes": {
                "field": demand.field.code if demand.field_id else None,
                "district": demand.district.code if demand.district_id else None,
                "price_band": price_band(demand.budget_max_fen or demand.budget_min_fen),
            },
        }

    def documents(self) -> Iterator[dict]:
        for demand in self.queryset().iterator(chunk_size=2000):
            yield self.document(demand)

    def indexable(self, pk: int):
        return self.queryset().filter(pk=pk).first()


class ManagerSource:
    """Technology-manager profiles of active users; who may see which profile is decided per
    request by ``ManagerProfile.objects.restrict``."""

    kind = "managers"
    model = "talent.ManagerProfile"
    fields = frozenset({"bio", "position", "major", "school", "employer", "work_district",
                        "discipline", "competences", "fields", "user"})

    def queryset(self):
        from tmhub.talent.models import ManagerProfile

        return (ManagerProfile.objects.filter(user__is_active=True)
                .select_related("employer", "work_district", "discipline")
                .prefetch_related("competences", "fields").order_by("pk"))

    # what a document is made of, as plain values: the profile's own columns ...
    _COLUMNS = ("pk", "bio", "position", "major", "school", "employer_id", "employer__name",
                "work_district__code", "discipline__code", "discipline__name_zh")

    def document(self, profile) -> dict:
        """The document of one profile (an instance from ``queryset()``)."""
        row = {"pk": profile.pk, "bio": profile.bio, "position": profile.position,
               "major": profile.major, "school": profile.school,
               "employer_id": profile.employer_id,
               "employer__name": profile.employer.name if profile.employer_id else None,
               "work_district__code": (profile.work_district.code if profile.work_district_id
                                       else None),
               "discipline__code": profile.discipline.code if profile.discipline_id else None,
               "discipline__name_zh": (profile.discipline.name_zh if profile.discipline_id
                                       else None)}
        return _manager_document(row, [(c.name_zh, c.name_en) for c in profile.competences.all()],
                                 [(f.code, f.name_zh, f.name_en) for f in profile.fields.all()])

    def documents(self) -> Iterator[dict]:
        """Every document, from three streamed queries of plain values (the profiles, their
        competences, their fields, each in profile order) rather than model instances: a
        rebuild of 100,000 managers takes seconds, not minutes."""
        from tmhub.talent.models import ManagerProfile

        active = ManagerProfile.objects.filter(user__is_active=True)
        rows = active.order_by("pk").values(*self._COLUMNS).iterator(chunk_size=5000)
        competences = _Grouped(
            ManagerProfile.competences.through.objects
            .filter(managerprofile__in=active)
            .order_by("managerprofile_id", "competence__sort_order", "competence__code")
            .values_list("managerprofile_id", "competence__name_zh", "competence__name_en"))
        fields = _Grouped(
            ManagerProfile.fields.through.objects
            .filter(managerprofile__in=active)
            .order_by("managerprofile_id", "industryfield__sort_order", "industryfield__code")
            .values_list("managerprofile_id", "industryfield__code", "industryfield__name_zh",
                         "industryfield__name_en"))
        for row in rows:
            yield _manager_document(row, competences.take(row["pk"]), fields.take(row["pk"]))

    def indexable(self, pk: int):
        return self.queryset().filter(pk=pk).first()


class _Grouped:
    """Rows ``(profile id, *values)`` sorted by profile id, read along with the profiles."""

    def __init__(self, queryset):
        self._rows = queryset.iterator(chunk_size=5000)
        self._next = next(self._rows, None)

    def take(self, pk: int) -> list[tuple]:
        """The values of profile ``pk`` (the rows of profiles before it are skipped)."""
        taken = []
        while self._next is not None and self._next[0] <= pk:
            if self._next[0] == pk:
                taken.append(self._next[1:])
            self._next = next(self._rows, None)
        return taken


def _manager_document(row: dict, competences: list[tuple], fields: list[tuple]) -> dict:
    """One manager's document from plain values: text = bio, position, major, school and the
    employer's name; keywords = competences, fields and discipline in both languages;
    attributes = district, discipline, employer and one flag per field served."""
    keywords = [zh for zh, _en in competences] + [en for _zh, en in competences if en]
    keywords += [zh for _code, zh, _en in fields] + [en for _code, _zh, en in fields if en]
    if row["discipline__name_zh"]:
        keywords.append(row["discipline__name_zh"])
    attributes = {
        "district": row["work_district__code"],
        "discipline": row["discipline__code"],
        "employer": str(row["employer_id"]) if row["employer_id"] else None,
    }
    attributes.update({field_flag(code): FLAG for code, _zh, _en in fields})
    text = [row["bio"], row["position"], row["major"], row["school"], row["employer__name"]]
    return {"id": doc_id(row["pk"]), "title": "",
            "abstract": "\n".join(t for t in text if t),
            "keywords": keywords, "attributes": attributes}


class ProviderSource:
    """Active service providers (agencies, law firms, funds, platforms, incubators…)."""

    kind = "providers"
    model = "orgs.Organization"
    fields = frozenset({"name", "name_en", "description", "district", "kind", "is_active",
                        "fields"})

    def queryset(self):
        from tmhub.orgs.models import Organization

        return (Organization.objects.filter(kind__in=SERVICE_PROVIDER_KINDS, is_active=True)
                .select_related("district").prefetch_related("fields").order_by("pk"))

    def document(self, org) -> dict:
        from django.utils import translation

        fields = list(org.fields.all())
        keywords = [f.name_zh for f in fields] + [f.name_en for f in fields if f.name_en]
        for language in ("zh-hans", "en"):
            with translation.override(language):
                keywords.append(str(org.get_kind_display()))
        # the services its kind offers: a need names a service (专利, 审计), not a kind
        keywords += provider_services().get(org.kind, [])
        attributes = {"district": org.district.code if org.district_id else None,
                      "kind": org.kind}
        attributes.update({field_flag(f.code): FLAG for f in fields})
        return {"id": doc_id(org.pk), "title": org.name,
                "abstract": "\n".join(t for t in (org.name_en, org.description) if t),
                "keywords": keywords, "attributes": attributes}

    def documents(self) -> Iterator[dict]:
        for org in self.queryset().iterator(chunk_size=500):
            yield self.document(org)

    def indexable(self, pk: int):
        return self.queryset().filter(pk=pk).first()


SOURCES = {source.kind: source for source in
           (AchievementSource, DemandSource, ManagerSource, ProviderSource)}
KINDS = tuple(SOURCES)
