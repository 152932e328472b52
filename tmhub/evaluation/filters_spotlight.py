"""Filters of the spotlight and nomination lists (pages and API alike)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tmhub.evaluation.models import Nomination, RatingRound, SpotlightEntry, TalentProgramme
from tmhub.evaluation.rating_choices import RoundStatus
from tmhub.evaluation.spotlight_choices import NominationStatus, SpotlightStatus


def _text(value) -> str:
    return (value or "").strip()[:100]


def _published_rounds(request):
    return RatingRound.objects.filter(status=RoundStatus.PUBLISHED)


class PublicSpotlightFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    round = django_filters.ModelChoiceFilter(label=_("Round"), field_name="rating__round",
                                             queryset=_published_rounds)

    class Meta:
        model = SpotlightEntry
        fields = ["q", "round"]

    def search(self, queryset, name, value):
        value = _text(value)
        if not value:
            return queryset
        return queryset.filter(
            Q(rating__manager__manager_profile__full_name__icontains=value)
            | Q(rating__manager__manager_profile__name_en__icontains=value)
            | Q(rating__employer__name__icontains=value)
            | Q(citation_zh__icontains=value) | Q(citation_en__icontains=value))


class SpotlightFilter(PublicSpotlightFilter):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SpotlightStatus.choices)

    class Meta:
        model = SpotlightEntry
        fields = ["q", "round", "status"]


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    year = django_filters.NumberFilter(label=_("year"), field_name="year", min_value=1949,
                                       max_value=2100)

    class Meta:
        model = TalentProgramme
        fields = ["q", "year"]

    def search(self, queryset, name, value):
        value = _text(value)
        if not value:
            return queryset
        return queryset.filter(Q(name_zh__icontains=value) | Q(name_en__icontains=value)
                               | Q(issuer__icontains=value))


class NominationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=NominationStatus.choices)
    programme = django_filters.ModelChoiceFilter(label=_("talent programme"),
                                                 queryset=TalentProgramme.objects.all())

    class Meta:
        model = Nomination
        fields = ["q", "status", "programme"]

    def search(self, queryset, name, value):
        value = _text(value)
        if not value:
            return queryset
        return queryset.filter(Q(manager__manager_profile__full_name__icontains=value)
                               | Q(institution__name__icontains=value)
                               | Q(programme__name_zh__icontains=value))
