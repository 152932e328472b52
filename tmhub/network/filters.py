"""Filters of the directory and the catalogue lists."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tmhub.core.choices import SERVICE_PROVIDER_KINDS, OrgKind
from tmhub.core.models import District, IndustryField
from tmhub.core.widgets import AnyYesNoSelect
from tmhub.network.choices import (
    CollaborationStatus,
    FinancingKind,
    FinancingStatus,
    IntroductionStatus,
    NeedStatus,
    ServiceCategory,
    ServiceStatus,
)
from tmhub.network.models import (
    Collaboration,
    Financing,
    Introduction,
    ProviderService,
    ServiceNeed,
    ServiceType,
)
from tmhub.orgs.models import Organization


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    """A row chosen by its code (`?service=patent_drafting`): a string in the API schema."""


PROVIDER_KIND_CHOICES = [(k.value, k.label) for k in OrgKind if k in SERVICE_PROVIDER_KINDS]


def _published(**lookups):
    return Exists(ProviderService.objects.filter(provider=OuterRef("pk"),
                                                 status=ServiceStatus.PUBLISHED, **lookups))


class DirectoryFilter(django_filters.FilterSet):
    """The public directory: providers with at least one public service matching."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    service = CodeChoiceFilter(
        label=_("Service type"), method="by_service",
        queryset=ServiceType.objects.filter(is_active=True), to_field_name="code")
    field = CodeChoiceFilter(label=_("Field"), method="by_field",
                                             queryset=IndustryField.objects.all(),
                                             to_field_name="code")
    district = CodeChoiceFilter(label=_("District"), method="by_district",
                                                queryset=District.objects.all(),
                                                to_field_name="code")
    financing = CodeChoiceFilter(
        label=_("Financing kind"), method="by_service", to_field_name="code",
        queryset=ServiceType.objects.filter(is_active=True,
                                            category=ServiceCategory.FINANCING))
    kind = django_filters.ChoiceFilter(label=_("Kind of provider"),
                                       choices=PROVIDER_KIND_CHOICES)

    class Meta:
        model = Organization
        fields = ["q", "service", "field", "district", "financing", "kind"]

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(name_en__icontains=value)
            | _published(title__icontains=value) | _published(title_en__icontains=value)
            | _published(service_type__name_zh__icontains=value))

    def by_service(self, queryset, name, value):
        return queryset.filter(_published(service_type=value)) if value else queryset

    def by_field(self, queryset, name, value):
        return queryset.filter(_published(fields=value)) if value else queryset

    def by_district(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(_published(districts=value) | Q(district=value,
                                                               pk__in=_published_ids()))


def _published_ids():
    return ProviderService.objects.filter(status=ServiceStatus.PUBLISHED).values("provider_id")


class ServiceFilter(django_filters.FilterSet):
    """The catalogue entries a user may see (own drafts, the city's review queue)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ServiceStatus.choices)
    service_type = django_filters.ModelChoiceFilter(
        label=_("Service type"), queryset=ServiceType.objects.all(), to_field_name="code")

    class Meta:
        model = ProviderService
        fields = ["q", "status", "service_type"]

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(title_en__icontains=value)
                               | Q(provider__name__icontains=value))


class NeedFilter(django_filters.FilterSet):
    """Service needs: the user's projects' needs, and the needs addressed to their provider."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=NeedStatus.choices)
    service_type = CodeChoiceFilter(label=_("Service type"), to_field_name="code",
                                    queryset=ServiceType.objects.all())
    field = CodeChoiceFilter(label=_("Field"), queryset=IndustryField.objects.all(),
                             to_field_name="code")

    class Meta:
        model = ServiceNeed
        fields = ["q", "status", "service_type", "field"]

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(project__title__icontains=value))


class IntroductionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=IntroductionStatus.choices)

    class Meta:
        model = Introduction
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(need__title__icontains=value)
                               | Q(provider__name__icontains=value))


class CollaborationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"),
                                         choices=CollaborationStatus.choices)

    class Meta:
        model = Collaboration
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(project__title__icontains=value)
                               | Q(provider__name__icontains=value)
                               | Q(scope__icontains=value))


class FinancingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind of financing"),
                                       choices=FinancingKind.choices)
    beijing_fund = django_filters.BooleanFilter(label=_("Beijing fund took part"),
                                                widget=AnyYesNoSelect)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FinancingStatus.choices)
    # Bounded as transfer's year filters are: year 0 is not a date (a 500 from schemathesis).
    year = django_filters.NumberFilter(label=_("Year"), field_name="financed_on",
                                       lookup_expr="year", min_value=1949, max_value=2100)
    district = CodeChoiceFilter(label=_("District"), queryset=District.objects.all(),
                                to_field_name="code")

    class Meta:
        model = Financing
        fields = ["q", "kind", "beijing_fund", "status", "year", "district"]

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(project__title__icontains=value)
                               | Q(company__name__icontains=value)
                               | Q(investor__name__icontains=value)
                               | Q(investor_name__icontains=value))
