"""Filters of the social-evaluation lists (pages and API alike)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tmhub.core.widgets import AnyYesNoSelect
from tmhub.evaluation.models import (
    EvaluationAccreditation,
    IndicatorSystem,
    Rating,
    RatingReview,
    RatingRound,
)
from tmhub.evaluation.rating_choices import RoundRunner, RoundStatus, SubjectKind, SystemStatus


def _text(value) -> str:
    return (value or "").strip()[:100]


class IndicatorSystemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    subject_kind = django_filters.ChoiceFilter(label=_("Rates"), choices=SubjectKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SystemStatus.choices)

    class Meta:
        model = IndicatorSystem
        fields = ["q", "subject_kind", "status"]

    def search(self, queryset, name, value):
        value = _text(value)
        if not value:
            return queryset
        return queryset.filter(Q(name_zh__icontains=value) | Q(name_en__icontains=value)
                               | Q(code__icontains=value))


class RatingRoundFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RoundStatus.choices)
    runner = django_filters.ChoiceFilter(label=_("Run by"), choices=RoundRunner.choices)
    year = django_filters.NumberFilter(label=_("Year of the cut-off"), field_name="period_end",
                                       lookup_expr="year", min_value=1949, max_value=2100)

    class Meta:
        model = RatingRound
        fields = ["q", "status", "runner", "year"]

    def search(self, queryset, name, value):
        value = _text(value)
        return queryset.filter(name__icontains=value) if value else queryset


class RatingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    round = django_filters.NumberFilter(label=_("Round"), field_name="round_id")
    subject_kind = django_filters.ChoiceFilter(label=_("Subjects"),
                                               choices=SubjectKind.choices)
    level = django_filters.CharFilter(label=_("Level"), field_name="level")

    class Meta:
        model = Rating
        fields = ["q", "round", "subject_kind", "level"]

    def search(self, queryset, name, value):
        value = _text(value)
        if not value:
            return queryset
        return queryset.filter(Q(manager__manager_profile__full_name__icontains=value)
                               | Q(institution__name__icontains=value))


class RatingReviewFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(label=_("Round"), field_name="round_id")
    scored = django_filters.BooleanFilter(label=_("Scored"), field_name="score",
                                          lookup_expr="isnull", exclude=True,
                                          widget=AnyYesNoSelect)

    class Meta:
        model = RatingReview
        fields = ["round", "scored"]


class AccreditationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    in_force = django_filters.BooleanFilter(label=_("In force today"), method="filter_in_force",
                                         widget=AnyYesNoSelect)

    class Meta:
        model = EvaluationAccreditation
        fields = ["q", "in_force"]

    def search(self, queryset, name, value):
        value = _text(value)
        if not value:
            return queryset
        return queryset.filter(Q(organization__name__icontains=value)
                               | Q(reference__icontains=value))

    def filter_in_force(self, queryset, name, value):
        if value is None:
            return queryset
        current = EvaluationAccreditation.objects.in_force().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)
