"""Filters shared by the transfer list pages and the API (both on restricted querysets)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tmhub.core.models import District, IndustryField
from tmhub.core.widgets import AnyYesNoSelect
from tmhub.transfer import search as token_search
from tmhub.transfer.choices import (
    AchievementStatus,
    ContractKind,
    DemandStatus,
    SplitStatus,
    Stage,
    TransferMode,
)
from tmhub.transfer.models import Achievement, Contract, Demand, Project, Receipt, RewardSplit


def _search(fields):
    def method(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)

    return method


def _token_search(self, queryset, name, value):
    """Every jieba token of the query in the record's search text (tmhub.transfer.search)."""
    return token_search.search(queryset, value or "")


class AchievementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AchievementStatus.choices)
    field = django_filters.ModelChoiceFilter(label=_("Industry field"),
                                             queryset=IndustryField.objects.all())
    transfer_mode = django_filters.ChoiceFilter(label=_("Transfer mode"),
                                                choices=TransferMode.choices)
    trl_min = django_filters.NumberFilter(label=_("Readiness at least"), field_name="trl",
                                          lookup_expr="gte")

    class Meta:
        model = Achievement
        fields = ["q", "status", "field", "transfer_mode", "trl_min"]

    search = _token_search


class DemandFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=DemandStatus.choices)
    field = django_filters.ModelChoiceFilter(label=_("Industry field"),
                                             queryset=IndustryField.objects.all())
    district = django_filters.ModelChoiceFilter(label=_("District"),
                                                queryset=District.objects.all())

    class Meta:
        model = Demand
        fields = ["q", "status", "field", "district"]

    search = _token_search


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    mine = django_filters.BooleanFilter(label=_("Only my projects"), method="only_mine",
                                       widget=AnyYesNoSelect)

    class Meta:
        model = Project
        fields = ["q", "stage", "mine"]

    search = _search(["title", "description", "institution__name"])

    def only_mine(self, queryset, name, value):
        if not value or self.request is None:
            return queryset
        if not self.request.user.is_authenticated:
            return queryset.none()  # an anonymous visitor has no projects of their own
        return queryset.filter(pk__in=self.request.user.transfer_assignments.values("project_id"))


class ContractFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Contract kind"), choices=ContractKind.choices)
    year = django_filters.NumberFilter(label=_("Year signed"), field_name="signed_on",
                                       lookup_expr="year", min_value=1949, max_value=2100)

    over_amount = django_filters.BooleanFilter(
        label=_("Received above the contract amount"), method="filter_over_amount",
        widget=AnyYesNoSelect)

    class Meta:
        model = Contract
        fields = ["q", "kind", "year", "over_amount"]

    search = _search(["title", "number", "registration_number", "institution__name"])

    def filter_over_amount(self, queryset, name, value):
        """Contracts with a receipt (not reversed) flagged above the contract amount."""
        flagged = Receipt.objects.effective().exclude(over_amount="").values("contract_id")
        return queryset.filter(pk__in=flagged) if value else queryset.exclude(pk__in=flagged)


class SplitFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SplitStatus.choices)
    transfer_mode = django_filters.ChoiceFilter(label=_("Transfer mode"),
                                                choices=TransferMode.choices)
    year = django_filters.NumberFilter(label=_("Income year"), field_name="income_date",
                                       lookup_expr="year", min_value=1949, max_value=2100)

    class Meta:
        model = RewardSplit
        fields = ["status", "transfer_mode", "year"]
