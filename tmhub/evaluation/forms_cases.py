"""Forms of the case library's pages: they parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.evaluation.models import TransferCase
from tmhub.evaluation.models.cases import WITHHOLD_FLAGS
from tmhub.evaluation.services.cases import TEXT_FIELDS


class CaseForm(forms.ModelForm):
    """The narrative in both languages (Chinese required) and the figures withheld."""

    class Meta:
        model = TransferCase
        fields = [*TEXT_FIELDS, *WITHHOLD_FLAGS.values()]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in TEXT_FIELDS
                   if not name.startswith("title")}


class CaseDraftForm(CaseForm):
    """Drafting: the project first (one at 交易 or 落地 the drafter works on)."""

    project = forms.ModelChoiceField(
        label=_("transfer project"), queryset=None,
        help_text=_("A project that reached the transaction or landing stage; its parties, "
                    "stages, contracts, income, rewards, managers, financing and landings are "
                    "read from the records."))

    class Meta(CaseForm.Meta):
        fields = ["project", *CaseForm.Meta.fields]

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.order_fields(["project", *CaseForm.Meta.fields])


class ConsentForm(forms.Form):
    party = forms.TypedChoiceField(label=_("party"), coerce=int)
    consented_by = forms.CharField(label=_("consent given by (name and position)"),
                                   max_length=200)
    consented_on = forms.DateField(label=_("consent given on"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(label=_("consent document"), required=False)
    note = forms.CharField(label=_("note on the consent"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("How the consent was given, and its scope."))

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(p["organization"], p["name"]) for p in parties]
