"""Filters shared by the organisation pages and API."""

import django_filters
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from tmhub.core.choices import OrgKind
from tmhub.core.listing import OrderingFilter
from tmhub.core.models import District, IndustryField
from tmhub.core.widgets import AnyYesNoSelect
from tmhub.orgs.choices import RegistrationStatus
from tmhub.orgs.models import InstitutionRegistration, Organization


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrgKind.choices)
    district = django_filters.ModelChoiceFilter(label=_("District"),
                                                queryset=District.objects.all())
    field = django_filters.ModelChoiceFilter(label=_("Industry field"), field_name="fields",
                                             queryset=IndustryField.objects.all())
    has_transfer_office = django_filters.BooleanFilter(label=_("Runs a transfer office"),
                                                      widget=AnyYesNoSelect)
    # Declared after `q`, so a sort the user asks for replaces the search's ranking; "name"
    # sorts by the pinyin of the name (阿 白 陈 张), not by code point.
    ordering = OrderingFilter(
        label=_("Sort by"),
        fields=(("name_pinyin", "name"), ("created_at", "created"), ("kind", "kind")),
        field_labels={"name_pinyin": _("Name")},
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "district", "field", "has_transfer_office"]

    def search(self, queryset, name, value):
        return ranked_search(queryset, value)


def ranked_search(queryset, value: str):
    """Organisations whose name (Chinese or English) contains `value`, or whose credit code is
    `value`; the exact name first, then names that begin with it, then the rest (清华大学
    before the 132 清华大学… departments and companies), each group by pinyin. The list pages,
    the API and the organisation pickers (tmhub.core.search_views) all search this way."""
    value = (value or "").strip()
    if not value:
        return queryset
    exact = Q(name__iexact=value) | Q(name_en__iexact=value) | Q(credit_code__iexact=value)
    prefix = Q(name__istartswith=value) | Q(name_en__istartswith=value)
    rank = Case(When(exact, then=Value(0)), When(prefix, then=Value(1)), default=Value(2),
                output_field=IntegerField())
    return (
        queryset.filter(Q(name__icontains=value) | Q(name_en__icontains=value)
                        | Q(credit_code__iexact=value))
        .annotate(search_rank=rank)
        .order_by("search_rank", "name_pinyin", "id")
    )


class OrganizationApiFilter(OrganizationFilter):
    """The API's filters: `search` is the same ranked search as `q` (DRF's usual name)."""

    search = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta(OrganizationFilter.Meta):
        fields = ["q", "search", "kind", "district", "field", "has_transfer_office"]


class RegistrationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="organization__name",
                                  lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RegistrationStatus.choices)
    district = django_filters.ModelChoiceFilter(
        label=_("District"), field_name="organization__district", queryset=District.objects.all()
    )

    class Meta:
        model = InstitutionRegistration
        fields = ["q", "status", "district"]
