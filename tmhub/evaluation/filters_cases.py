"""Filters of the case lists (the public library, the staff list and the API alike): text in
either language, the industry field and discipline the project records, the transfer mode and
the kind of its main contract."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tmhub.core.models import Discipline, IndustryField
from tmhub.evaluation.case_choices import CaseStatus
from tmhub.evaluation.models import TransferCase
from tmhub.transfer.choices import ContractKind, TransferMode

SEARCHED = ("title_zh", "title_en", "background_zh", "background_en", "actions_zh",
            "actions_en", "lessons_zh", "lessons_en", "institution__name")


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    field = django_filters.ModelChoiceFilter(label=_("Industry field"),
                                             queryset=IndustryField.objects.all())
    discipline = django_filters.ModelChoiceFilter(
        label=_("Discipline"), queryset=Discipline.objects.filter(level=1),
        method="in_discipline")
    transfer_mode = django_filters.ChoiceFilter(label=_("Transfer mode"),
                                                choices=TransferMode.choices)
    contract_kind = django_filters.ChoiceFilter(label=_("Contract kind"),
                                                choices=ContractKind.choices)

    class Meta:
        model = TransferCase
        fields = ["q", "field", "discipline", "transfer_mode", "contract_kind"]

    def search(self, queryset, name, value):
        value = (value or "").strip()[:100]
        if not value:
            return queryset
        condition = Q()
        for field in SEARCHED:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    def in_discipline(self, queryset, name, value):
        # A case records the achievement's discipline at any depth (A0101); the list offers
        # the top level (A01), which covers its sub-disciplines.
        return queryset.filter(discipline__code__startswith=value.code) if value else queryset


class CaseManageFilter(CaseFilter):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices)

    class Meta(CaseFilter.Meta):
        fields = [*CaseFilter.Meta.fields, "status"]
