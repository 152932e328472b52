"""Filters of the title application list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tmhub.evaluation.choices import ApplicationStatus
from tmhub.evaluation.models import TitleApplication, TitleDirection, TitleLevel, TitleRound


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ApplicationStatus.choices)
    round = django_filters.ModelChoiceFilter(label=_("Round"), queryset=TitleRound.objects.all())
    level = django_filters.ModelChoiceFilter(label=_("Level"), queryset=TitleLevel.objects.all())
    direction = django_filters.ModelChoiceFilter(label=_("Direction"),
                                                 queryset=TitleDirection.objects.all())

    class Meta:
        model = TitleApplication
        fields = ["q", "status", "round", "level", "direction"]

    def search(self, queryset, name, value):
        value = (value or "").strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(applicant__full_name__icontains=value)
                               | Q(institution__name__icontains=value))
