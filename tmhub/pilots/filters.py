"""Filters of the pilot list (and the API)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tmhub.core.choices import Department
from tmhub.core.models import District
from tmhub.pilots.choices import ProgrammeKind, Stage
from tmhub.pilots.models import Pilot, Programme


class PilotFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    programme = django_filters.ModelChoiceFilter(label=_("Funding programme"),
                                                 queryset=Programme.objects.all())
    kind = django_filters.ChoiceFilter(label=_("Programme kind"), field_name="programme__kind",
                                       choices=ProgrammeKind.choices)
    district = django_filters.ModelChoiceFilter(label=_("District"),
                                                queryset=District.objects.all())

    class Meta:
        model = Pilot
        fields = ["q", "stage", "programme", "kind", "district"]

    def search(self, queryset, name, value):
        value = (value or "").strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value)
                               | Q(institution__name__icontains=value)
                               | Q(principal_investigator__icontains=value))


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Programme kind"), choices=ProgrammeKind.choices)
    department = django_filters.ChoiceFilter(label=_("Funding department"),
                                             choices=Department.choices)

    class Meta:
        model = Programme
        fields = ["q", "kind", "department"]

    def search(self, queryset, name, value):
        value = (value or "").strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name_zh__icontains=value)
                               | Q(name_en__icontains=value)
                               | Q(officers__display_name__icontains=value)).distinct()
