"""Filters of the title application list."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tmhub.core.widgets import AnyYesNoSelect
from tmhub.evaluation.choices import ApplicationStatus
from tmhub.evaluation.models import (
    ReviewAssignment,
    TitleApplication,
    TitleDirection,
    TitleExpert,
    TitleLevel,
    TitlePanel,
    TitleRound,
)


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


class PanelFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    round = django_filters.ModelChoiceFilter(label=_("Round"), queryset=TitleRound.objects.all())
    level = django_filters.ModelChoiceFilter(label=_("Level"), queryset=TitleLevel.objects.all())
    direction = django_filters.ModelChoiceFilter(label=_("Direction"),
                                                 queryset=TitleDirection.objects.all())

    class Meta:
        model = TitlePanel
        fields = ["q", "round", "level", "direction"]

    def search(self, queryset, name, value):
        value = (value or "").strip()[:100]
        return queryset.filter(name__icontains=value) if value else queryset


class ExpertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    active = django_filters.BooleanFilter(label=_("Active in the pool"), widget=AnyYesNoSelect)

    class Meta:
        model = TitleExpert
        fields = ["q", "active"]

    def search(self, queryset, name, value):
        value = (value or "").strip()[:100]
        if not value:
            return queryset
        return queryset.filter(Q(full_name__icontains=value)
                               | Q(institution__name__icontains=value)
                               | Q(specialty__icontains=value))


class ReviewFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=pgettext_lazy("review status", "Scores"), method="by_state", choices=[
        ("pending", _("To score")), ("submitted", _("Submitted")), ("recused", _("Recused"))])
    round = django_filters.ModelChoiceFilter(label=_("Round"), field_name="application__round",
                                             queryset=TitleRound.objects.all())
    level = django_filters.ModelChoiceFilter(label=_("Level"), field_name="application__level",
                                             queryset=TitleLevel.objects.all())

    class Meta:
        model = ReviewAssignment
        fields = ["state", "round", "level"]

    def by_state(self, queryset, name, value):
        if value == "pending":
            return queryset.filter(submitted_at__isnull=True, recused_at__isnull=True)
        if value == "submitted":
            return queryset.filter(submitted_at__isnull=False, recused_at__isnull=True)
        if value == "recused":
            return queryset.filter(recused_at__isnull=False)
        return queryset
