"""Filters of the directory, the work lists and the API."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from tmhub.core.listing import OrderingFilter
from tmhub.core.models import District, IndustryField
from tmhub.core.widgets import AnyYesNoSelect, searchable_attrs
from tmhub.orgs.models import Organization
from tmhub.talent.choices import EntryRoute, ProfessionalTitle, RegistrationStatus, TrainingLevel
from tmhub.talent.models import Competence, ManagerProfile, ManagerRegistration
from tmhub.talent.search import search


def _through_exists(through, column, value):
    # EXISTS over the M2M table keeps one row per profile (no DISTINCT over the whole page).
    return Exists(through.objects.filter(managerprofile_id=OuterRef("pk"), **{column: value}))


class FastSelect(forms.Select):
    """A single <select> rendered in Python, with the markup of Django's template widget.

    The template widget renders one sub-template per <option> and builds an attribute dict for
    each: ~30 ms per directory page for the ~450 institutions (cProfile, bench/bench_talent.py).
    """

    def _options(self, choices, selected: set[str], done: list[bool]):
        for option_value, option_label in choices:
            if isinstance(option_label, (list, tuple)):  # an option group
                yield format_html('<optgroup label="{}">', option_value)
                yield from self._options(option_label, selected, done)
                yield "</optgroup>"
                continue
            value = "" if option_value is None else str(option_value)
            mark = ""
            if not done[0] and value in selected:
                mark, done[0] = " selected", True  # like Select: the first match only
            yield f'<option value="{escape(value)}"{mark}>{escape(option_label)}</option>'

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in self.format_value(value)}
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        parts.extend(self._options(self.choices, selected, [False]))
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # names, values and labels are escaped above


class ListingOrderingFilter(OrderingFilter):
    """Sorting with the primary key as the last key, in the same direction, so that pages of
    equal values (years of experience, names) are stable and the planner can walk the
    (value, id) indexes of ManagerProfile.Meta instead of sorting every matching row."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        order = list(qs.query.order_by)
        if order and not any(str(key).lstrip("-") in ("id", "pk") for key in order):
            qs = qs.order_by(*order, "-id" if str(order[0]).startswith("-") else "id")
        return qs


class DirectoryFilter(django_filters.FilterSet):
    """Public directory filters; `q` is the jieba token search."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    field = django_filters.ModelChoiceFilter(label=_("Industry field"), method="filter_field",
                                             queryset=IndustryField.objects.all(),
                                             widget=FastSelect)
    competence = django_filters.ModelChoiceFilter(label=_("Competence"),
                                                  method="filter_competence", widget=FastSelect,
                                                  queryset=Competence.objects.all())
    district = django_filters.ModelChoiceFilter(label=_("District"), field_name="work_district",
                                                queryset=District.objects.all(),
                                                widget=FastSelect)
    institution = django_filters.ModelChoiceFilter(
        label=_("Institution"), field_name="employer",
        widget=FastSelect(attrs=searchable_attrs()),  # ~450 institutions: typed, not scrolled
        # EXISTS per organisation (index probe) instead of DISTINCT over every profile.
        queryset=Organization.objects.filter(
            Exists(ManagerProfile.objects.filter(employer=OuterRef("pk"), is_listed=True))
        ).only("id", "name", "name_en"),  # the option labels (Organization.__str__)
    )
    level = django_filters.ChoiceFilter(label=_("Training level"), field_name="training_level",
                                        choices=TrainingLevel.choices, widget=FastSelect)
    title = django_filters.ChoiceFilter(label=_("Professional title"),
                                        field_name="professional_title",
                                        choices=ProfessionalTitle.choices, widget=FastSelect)
    route = django_filters.ChoiceFilter(label=_("Entry route"), field_name="entry_route",
                                        choices=EntryRoute.choices, widget=FastSelect)
    ordering = ListingOrderingFilter(
        label=_("Sort by"), widget=FastSelect,
        # "name" sorts by the pinyin of the name (阿 白 陈 张), not by code point.
        fields=(("name_pinyin", "name"), ("registered_at", "registered"),
                ("years_experience", "experience")),
        field_labels={"name_pinyin": _("Name"), "registered_at": _("Registration date"),
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
                                          field_name="is_listed", widget=AnyYesNoSelect)

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
