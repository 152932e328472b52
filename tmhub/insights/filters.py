"""Filters of the policy library."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from tmhub.core.models import District
from tmhub.insights.choices import PolicyLevel
from tmhub.insights.models import SupportPolicy


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(django_filters.ModelChoiceFilter):
    """A district chosen by its code (`?district=110108`): a string in the API schema."""


class PolicyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    level = django_filters.ChoiceFilter(label=_("level"), choices=PolicyLevel.choices)
    district = CodeChoiceFilter(label=_("district"), queryset=District.objects.all(),
                                to_field_name="code")
    year = django_filters.NumberFilter(label=_("year issued"), field_name="issued_on__year",
                                       min_value=1949, max_value=2100)

    class Meta:
        model = SupportPolicy
        fields = ["q", "level", "district", "year"]

    def search(self, queryset, name, value):
        value = value.strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(title_en__icontains=value)
                               | Q(number__icontains=value) | Q(issuer__icontains=value)
                               | Q(summary__icontains=value) | Q(summary_en__icontains=value))
