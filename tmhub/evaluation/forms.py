"""Forms of the evaluation app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.evaluation.api.serializers import MAX_YEARS
from tmhub.evaluation.choices import NO_TITLE, Education
from tmhub.evaluation.models import TitleDirection, TitleLevel


class EligibilityForm(forms.Form):
    """The one-step eligibility check (a GET form: it changes nothing)."""

    level = forms.ModelChoiceField(TitleLevel.objects.all(), label=_("Level applied for"),
                                   to_field_name="code")
    direction = forms.ModelChoiceField(TitleDirection.objects.all(), label=_("Direction"),
                                       to_field_name="code")
    education = forms.ChoiceField(label=_("Highest education"), choices=Education.choices)
    years_since_education = forms.IntegerField(
        label=_("Full years of work since graduation"), min_value=0, max_value=MAX_YEARS)
    current_title = forms.ChoiceField(label=_("Current title"))
    years_in_current_title = forms.IntegerField(
        label=_("Full years in the current title"), min_value=0, max_value=MAX_YEARS,
        initial=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["current_title"].choices = [(NO_TITLE, _("No title")), *(
            (level.code, level.name) for level in TitleLevel.objects.all())]

    def clean_current_title(self):
        code = self.cleaned_data["current_title"]
        return None if code == NO_TITLE else TitleLevel.objects.get(code=code)

    def clean(self):
        data = super().clean()
        if data.get("years_in_current_title") is None:
            data["years_in_current_title"] = 0
        if "current_title" in data and data["current_title"] is None and \
                data["years_in_current_title"]:
            self.add_error("years_in_current_title",
                           _("Without a current title the years in it are 0."))
        return data
