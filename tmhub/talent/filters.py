"""Filters of the directory, the work lists and the API."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from tmhub.core.models import District, IndustryField
from tmhub.orgs.models import Organization
from tmhub.talent.choices import EntryRoute, ProfessionalTitle, RegistrationStatus, TrainingLevel
from tmhub.talent.models import Competence, ManagerProfile, ManagerRegistration
from tmhub.talent.search import search


def _through_exists(through, column, value):
    # EXISTS over the M2M table keeps one row per profile (no DISTINCT over the whole page).
    return Exists(through.objects.filter(managerprofile_id=OuterRef("pk"), **{column: value}))


class DirectoryFilter(django_filters.FilterSet):
    """Public directory filters; `q` is the jieba token search."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    field = django_filters.ModelChoiceFilter(label=_("Industry field"), method="filter_field",
                                             queryset=IndustryField.objects.all())
    competence = django_filters.ModelChoiceFilter(label=_("Competence"),
                                                  method="filter_competence",
                                                  queryset=Competence.objects.all())
    district = django_filters.ModelChoiceFilter(label=_("District"), field_name="work_district",
                                                queryset=District.objects.all())
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), field_name="employer",
        # EXISTS per organisation (index probe) instead of DISTINCT over every profile.
        queryset=Organization.objects.filter(
            Exists(ManagerProfile.objects.filter(employer=OuterRef("pk"), is_listed=True))
        ),
    )
    level = django_filters.ChoiceFilter(label=_("Training level"), field_name="training_level",
                                        choices=TrainingLevel.choices)
    title = django_filters.ChoiceFilter(label=_("Professional title"),
                                        field_name="professional_title",
                                        choices=ProfessionalTitle.choices)
    route = django_filters.ChoiceFilter(label=_("Entry route"), field_name="entry_route",
                                        choices=EntryRoute.choices)
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("full_name", "name"), ("registered_at", "registered"),
                ("years_experience", "experience")),
        field_labels={"full_name": _("Name"), "registered_at": _("Registration date"),
                      "years_experience": _("Experience")},
    )

    class Meta:
        model = ManagerProfile
        fields = ["q", "field", "competence", "district", "institution", "level", "title",
                  "route"]

    def filter_q(self, queryset, name, value):
        return search(queryset, value)

    def filter_field(self, queryset, name, value: int):  # hint: the API takes a pk
        if not value:
            return queryset
        through = ManagerProfile.fields.through
        return queryset.filter(_through_exists(through, "industryfield_id", value.pk))

    def filter_competence(self, queryset, name, value: int):  # hint: the API takes a pk
        if not value:
            return queryset
        through = ManagerProfile.competences.through
        return queryset.filter(_through_exists(through, "competence_id", value.pk))


class PeopleFilter(DirectoryFilter):
    """Work list of profiles (any state) for scoped roles."""

    listed = django_filters.BooleanFilter(label=_("Listed in the directory"),
                                          field_name="is_listed")

    class Meta(DirectoryFilter.Meta):
        fields = DirectoryFilter.Meta.fields + ["listed"]


class RegistrationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RegistrationStatus.choices)
    district = django_filters.ModelChoiceFilter(label=_("District"),
                                                field_name="profile__work_district",
                                                queryset=District.objects.all())
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), field_name="profile__employer",
        queryset=Organization.objects.filter(managers__isnull=False).distinct(),
    )

    class Meta:
        model = ManagerRegistration
        fields = ["q", "status", "district", "institution"]

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if value.upper().startswith("BJTM-"):
            return queryset.filter(registry_number__iexact=value)
        return search(queryset, value, column="profile__search_text")
