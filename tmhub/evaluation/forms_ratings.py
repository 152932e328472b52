"""Forms of the social-evaluation pages: they parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.core.choices import RESEARCH_KINDS, OrgKind
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.models import District, IndustryField
from tmhub.evaluation.models import IndicatorSystem
from tmhub.evaluation.rating_choices import (
    CurveKind,
    IndicatorKind,
    RoundPurpose,
    SubjectKind,
    SystemStatus,
)
from tmhub.orgs.models import Organization


class RoundForm(forms.Form):
    """Set up a round. Who runs it follows from `organization`: empty for the city (only the
    city may leave it empty); an accredited organisation the user works for; or the user's
    institution (an internal round, for its own staff, with a purpose). The subject filter
    narrows who is rated."""

    name = forms.CharField(label=_("name"), max_length=200)
    period_start = forms.DateField(label=_("period from"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("period until (cut-off)"),
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Records dated after this day do not count."))
    manager_system = forms.ModelChoiceField(
        label=_("indicator system for managers"), required=False,
        queryset=IndicatorSystem.objects.filter(status=SystemStatus.PUBLISHED,
                                                subject_kind=SubjectKind.MANAGER))
    institution_system = forms.ModelChoiceField(
        label=_("indicator system for institutions"), required=False,
        queryset=IndicatorSystem.objects.filter(status=SystemStatus.PUBLISHED,
                                                subject_kind=SubjectKind.INSTITUTION))
    objection_days = forms.IntegerField(label=_("objection window (days)"), min_value=0,
                                        max_value=365, initial=15)
    organization = forms.ChoiceField(label=_("run by"), required=False)
    purpose = forms.ChoiceField(label=_("purpose"), required=False,
                                choices=[("", "—"), *RoundPurpose.choices],
                                help_text=_("An internal round: what its results are used "
                                            "for."))
    districts = forms.ModelMultipleChoiceField(
        label=_("only managers working in / institutions in these districts"), required=False,
        queryset=District.objects.all())
    institution_kinds = forms.MultipleChoiceField(
        label=_("only these kinds of institution"), required=False,
        choices=[(k, label) for k, label in OrgKind.choices if k in RESEARCH_KINDS
                 or k == OrgKind.NEW_RD_INSTITUTION])
    institutions = forms.ModelMultipleChoiceField(
        label=_("only these institutions"), required=False,
        queryset=Organization.objects.filter(kind__in=RESEARCH_KINDS).order_by("name"),
        widget=forms.SelectMultiple(attrs={"size": 6}))
    fields_filter = forms.ModelMultipleChoiceField(
        label=_("only these industry fields"), required=False,
        queryset=IndustryField.objects.all())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from tmhub.core.access import get_scope
        from tmhub.evaluation.policies_ratings import accredited_orgs, internal_orgs, is_city

        scope = get_scope(user)
        choices = [("", _("The city"))] if is_city(scope) else []
        for org in Organization.objects.filter(pk__in=accredited_orgs(scope)):
            choices.append((str(org.pk), _("%(org)s (accredited evaluation organisation)")
                            % {"org": org}))
        for org in Organization.objects.filter(pk__in=internal_orgs(scope)):
            choices.append((str(org.pk), _("%(org)s (internal round for its own staff)")
                            % {"org": org}))
        self.fields["organization"].choices = choices
        self.fields["organization"].required = not is_city(scope)

    def round_values(self) -> dict:
        """The service's keyword arguments."""
        data = dict(self.cleaned_data)
        org_id = data.pop("organization") or None
        data["organization"] = Organization.objects.filter(pk=org_id).first() if org_id \
            else None
        data["subject_filter"] = {
            "districts": [d.pk for d in data.pop("districts") or ()],
            "institution_kinds": list(data.pop("institution_kinds") or ()),
            "institutions": [o.pk for o in data.pop("institutions") or ()],
            "fields": [f.pk for f in data.pop("fields_filter") or ()]}
        return data


class IndicatorForm(forms.Form):
    code = forms.SlugField(label=_("code"), max_length=60)
    kind = forms.ChoiceField(label=_("kind"), choices=IndicatorKind.choices)
    name_zh = forms.CharField(label=_("name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("name (English)"), max_length=200, required=False)
    parent = forms.ChoiceField(label=_("parent"), required=False)
    weight = forms.DecimalField(label=_("weight (%)"), min_value=0, max_value=100,
                                decimal_places=2)
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=32000, initial=0)
    metric_key = forms.ChoiceField(label=_("metric"), required=False)
    curve_kind = forms.ChoiceField(label=_("scoring curve"), required=False,
                                   choices=[("", "—"), *CurveKind.choices])
    steps = forms.CharField(
        label=_("thresholds"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One threshold a line: the minimum value, a colon, the points (e.g. "
                    "3:70). Money in yuan."))
    zero = forms.DecimalField(label=_("value at 0 points"), required=False)
    full = forms.DecimalField(label=_("value at 100 points"), required=False)
    guidance = forms.CharField(label=_("guidance"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def curve(self) -> dict:
        """The curve as the model stores it (the service checks it)."""
        data = self.cleaned_data
        if data.get("curve_kind") == CurveKind.LINEAR:
            return {"kind": "linear", "zero": str(data.get("zero") or 0),
                    "full": str(data.get("full") or 0)}
        if data.get("curve_kind") == CurveKind.THRESHOLDS:
            steps = []
            for line in (data.get("steps") or "").splitlines():
                if ":" in line or "：" in line:
                    minimum, _sep, points = line.replace("：", ":").partition(":")
                    steps.append([minimum.strip(), points.strip()])
            return {"kind": "thresholds", "steps": steps}
        return {}

    def __init__(self, *args, system, **kwargs):
        super().__init__(*args, **kwargs)
        from tmhub.evaluation.services.indicators import metrics_for

        self.fields["parent"].choices = [("", _("(top level)"))] + [
            (i.code, i.name) for i in system.indicators.filter(kind=IndicatorKind.DIMENSION)]
        self.fields["metric_key"].choices = [("", "—")] + [
            (m.key, str(m.label)) for m in metrics_for(system.subject_kind)]


class WeightsForm(forms.Form):
    """One weight field per node of a draft system, in tree order (the service checks that
    every level sums to 100 and puts its errors on these fields)."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        from tmhub.evaluation.services.indicators import weight_field

        for indicator, depth, *_rest in rows:
            label = "— " * depth + indicator.name
            self.fields[weight_field(indicator)] = forms.DecimalField(
                label=label, min_value=0, max_value=100, decimal_places=2,
                initial=indicator.weight)

    def weights(self) -> dict[int, object]:
        return {int(name.removeprefix("weight_")): value
                for name, value in self.cleaned_data.items()}


class AssignForm(BootstrapFormMixin, forms.Form):
    indicator = forms.ChoiceField(label=_("indicator"))
    reviewer = forms.CharField(label=_("reviewer's user name"), max_length=150)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        from tmhub.evaluation.services.ratings import scored_indicators

        self.fields["indicator"].choices = [
            (i.pk, f"{i.system.name} · {i.name}")
            for i in scored_indicators(round_).select_related("system")]


class ScoreForm(forms.Form):
    score = forms.DecimalField(label=_("score (0–100)"), min_value=0, max_value=100,
                               decimal_places=2)
    comment = forms.CharField(label=_("comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("objection"), max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(label=_("outcome of the objection"),
                                 widget=forms.RadioSelect, choices=[
        ("upheld", _("Uphold: compute the rating again")),
        ("rejected", _("Reject the objection"))])
    resolution = forms.CharField(label=_("resolution"), max_length=3000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))


class AccreditationForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("organisation"),
        queryset=Organization.objects.filter(kind=OrgKind.EVALUATION_ORG, is_active=True))
    reference = forms.CharField(label=_("decision reference"), max_length=100)
    valid_from = forms.DateField(label=_("in force from"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("in force until"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    scope_note = forms.CharField(label=_("scope of the accreditation"), max_length=2000,
                                 required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("reason for revoking"), max_length=500)
