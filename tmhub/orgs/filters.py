"""Filters shared by the organisation pages and API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tmhub.core.choices import OrgKind
from tmhub.core.models import District, IndustryField
from tmhub.orgs.choices import RegistrationStatus
from tmhub.orgs.models import InstitutionRegistration, Organization


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrgKind.choices)
    district = django_filters.ModelChoiceFilter(label=_("District"),
                                                queryset=District.objects.all())
    field = django_filters.ModelChoiceFilter(label=_("Industry field"), field_name="fields",
                                             queryset=IndustryField.objects.all())
    has_transfer_office = django_filters.BooleanFilter(label=_("Runs a transfer office"))
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("name", "name"), ("created_at", "created"), ("kind", "kind")),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "district", "field", "has_transfer_office"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(name_en__icontains=value)
            | Q(credit_code__iexact=value)
        )


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
