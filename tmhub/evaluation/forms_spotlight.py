"""Forms of the spotlight and the nomination pages: they parse; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.evaluation.models import TalentProgramme

DATE = {"type": "date"}


class CitationForm(forms.Form):
    citation_zh = forms.CharField(label=_("citation (Chinese)"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 5}))
    citation_en = forms.CharField(label=_("citation (English)"), max_length=3000,
                                  required=False, widget=forms.Textarea(attrs={"rows": 5}))


class ConsentForm(forms.Form):
    given_on = forms.DateField(label=_("consent given on"), widget=forms.DateInput(attrs=DATE),
                               initial=timezone.localdate)
    note = forms.CharField(label=_("evidence of consent"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("How the manager agreed: a signed form, an e-mail, "
                                       "their confirmation on the platform."))


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = TalentProgramme
        fields = ["name_zh", "name_en", "issuer", "year", "description", "opens_on",
                  "closes_on"]
        widgets = {"opens_on": forms.DateInput(attrs=DATE),
                   "closes_on": forms.DateInput(attrs=DATE),
                   "description": forms.Textarea(attrs={"rows": 4})}


class NominationForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("talent programme"),
                                       queryset=TalentProgramme.objects.none())
    manager = forms.ModelChoiceField(label=_("technology manager"), queryset=None)
    statement = forms.CharField(label=_("statement of contribution"), max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["programme"].queryset = TalentProgramme.objects.filter(
            opens_on__lte=today, closes_on__gte=today)
        self.fields["manager"].queryset = profiles.order_by("name_pinyin", "pk")
        self.fields["manager"].label_from_instance = lambda p: (
            f"{p.full_name} · {p.employer}" if p.employer_id else p.full_name)


class StatementForm(forms.Form):
    statement = forms.CharField(label=_("statement of contribution"), max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 6}))
