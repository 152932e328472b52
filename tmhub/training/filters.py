"""Filters shared by the training list pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tmhub.training.choices import (
    CertificateStatus,
    CohortStatus,
    EnrolmentStatus,
    Level,
    Module,
    ProgrammeKind,
)
from tmhub.training.models import Certificate, Cohort, Course, Enrolment, TrainingProvider


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    module = django_filters.ChoiceFilter(label=_("Module"), choices=Module.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), field_name="programme__level",
                                        choices=Level.choices)
    provider = django_filters.ModelChoiceFilter(
        label=_("Provider"), field_name="programme__provider",
        queryset=TrainingProvider.objects.filter(is_active=True))

    class Meta:
        model = Course
        fields = ["q", "module", "level", "provider"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name_zh__icontains=value) | Q(name_en__icontains=value)
                               | Q(code__iexact=value))


class CohortFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CohortStatus.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), field_name="programme__level",
                                        choices=Level.choices)
    kind = django_filters.ChoiceFilter(label=_("Programme kind"), field_name="programme__kind",
                                       choices=ProgrammeKind.choices)

    class Meta:
        model = Cohort
        fields = ["q", "status", "level", "kind"]


class EnrolmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EnrolmentStatus.choices)
    cohort = django_filters.CharFilter(label=_("Cohort code"), field_name="cohort__code")

    class Meta:
        model = Enrolment
        fields = ["q", "status", "cohort"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(trainee__display_name__icontains=value)
                               | Q(trainee__username__iexact=value)
                               | Q(cohort__title__icontains=value))


class CertificateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CertificateStatus.choices)

    class Meta:
        model = Certificate
        fields = ["q", "level", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__iexact=value) | Q(holder_name__icontains=value))
