"""Filters of the districts list pages (and the API)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tmhub.core.models import District
from tmhub.districts.choices import EventKind, LandingKind, PostStatus, TimeBasis
from tmhub.districts.models import CommissionerPost, Landing, LiaisonAgreement, MatchEvent


def _district():
    return django_filters.ModelChoiceFilter(label=_("District"),
                                            queryset=District.objects.all())


class AgreementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    district = _district()

    class Meta:
        model = LiaisonAgreement
        fields = ["q", "district"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(institution__name__icontains=value)
                               | Q(scope__icontains=value)) if value else queryset


class PostFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    district = _district()
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PostStatus.choices)
    time_basis = django_filters.ChoiceFilter(label=_("Full- or part-time"),
                                             choices=TimeBasis.choices)

    class Meta:
        model = CommissionerPost
        fields = ["q", "district", "status", "time_basis"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(park__icontains=value)
                               | Q(title_en__icontains=value)) if value else queryset


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    district = _district()
    kind = django_filters.ChoiceFilter(label=_("Kind of event"), choices=EventKind.choices)

    class Meta:
        model = MatchEvent
        fields = ["q", "district", "kind"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(title_en__icontains=value)
                               | Q(organiser__icontains=value)) if value else queryset


class LandingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    district = _district()
    kind = django_filters.ChoiceFilter(label=_("Kind of landing"), choices=LandingKind.choices)

    class Meta:
        model = Landing
        fields = ["q", "district", "kind"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(company_name__icontains=value)
                               | Q(investor__icontains=value)) if value else queryset
