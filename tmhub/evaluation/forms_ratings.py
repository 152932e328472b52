"""Forms of the social-evaluation pages: they parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.evaluation.models import IndicatorSystem
from tmhub.evaluation.rating_choices import CurveKind, IndicatorKind, SubjectKind, SystemStatus


class RoundForm(forms.Form):
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


class AssignForm(forms.Form):
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
