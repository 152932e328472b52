"""Forms of the oversight pages; services do the writing and the checking."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from tmhub.core import metrics
from tmhub.core.forms import BootstrapFormMixin
from tmhub.insights.choices import Aggregation, PlanDepartment


class DateInput(forms.DateInput):
    input_type = "date"


class PlanForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    title_en = forms.CharField(label=_("title (English)"), max_length=200, required=False)
    number = forms.CharField(label=_("document number"), max_length=60)
    issuers = forms.CharField(label=_("issued by"), max_length=300, required=False)
    issued_on = forms.DateField(label=_("issued on"), required=False, widget=DateInput)
    start = forms.DateField(label=_("period start"), widget=DateInput)
    end = forms.DateField(label=_("period end"), widget=DateInput)


class TargetForm(BootstrapFormMixin, forms.Form):
    label = forms.CharField(label=_("target"), max_length=200)
    label_en = forms.CharField(label=_("target (English)"), max_length=200, required=False)
    metric_key = forms.ChoiceField(label=_("metric"))
    aggregation = forms.ChoiceField(label=_("aggregation"), choices=Aggregation.choices)
    target_value = forms.IntegerField(label=_("target value"), min_value=1,
                                      max_value=10**15)
    due_on = forms.DateField(label=_("due on"), widget=DateInput)
    basis = forms.CharField(label=_("wording in the plan"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric_key"].choices = [(m.key, m.label)
                                             for m in metrics.all_metrics()]


def period_label(start: datetime.date, end: datetime.date) -> str:
    return f"{formats.date_format(start, 'Y-m-d')} – {formats.date_format(end, 'Y-m-d')}"


class ReportForm(BootstrapFormMixin, forms.Form):
    department = forms.ChoiceField(label=_("department"))
    period = forms.ChoiceField(label=_("period"))
    narrative = forms.CharField(label=_("progress"), max_length=4000, widget=forms.Textarea(
        attrs={"rows": 5}))
    measures = forms.CharField(label=_("measures taken"), max_length=4000, required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, departments=(), periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [
            (code, PlanDepartment(code).label) for code in departments]
        self.fields["period"].choices = [(f"{s.isoformat()}/{e.isoformat()}", period_label(s, e))
                                         for s, e in periods]
        self.fields["period"].help_text = _("Quarters of the plan that have ended.")

    def clean_period(self):
        start, end = self.cleaned_data["period"].split("/")
        return datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)


class ReportEditForm(BootstrapFormMixin, forms.Form):
    narrative = forms.CharField(label=_("progress"), max_length=4000, widget=forms.Textarea(
        attrs={"rows": 5}))
    measures = forms.CharField(label=_("measures taken"), max_length=4000, required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))


class ReviewForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("decision"), widget=forms.RadioSelect, choices=[
        ("accept", _("Accept the report")), ("return", _("Return it to the department"))])
    note = forms.CharField(label=_("review note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class PolicyForm(BootstrapFormMixin, forms.Form):
    """A support policy; a district officer enters those of the district only."""

    title = forms.CharField(label=_("title"), max_length=300)
    title_en = forms.CharField(label=_("title (English)"), max_length=300, required=False)
    issuer = forms.CharField(label=_("issued by"), max_length=300)
    number = forms.CharField(label=_("document number"), max_length=80, required=False)
    issued_on = forms.DateField(label=_("issued on"), widget=DateInput)
    level = forms.ChoiceField(label=_("level"))
    district = forms.ModelChoiceField(label=_("district"), queryset=None, required=False)
    summary = forms.CharField(label=_("summary"), max_length=2000, widget=forms.Textarea(
        attrs={"rows": 3}))
    summary_en = forms.CharField(label=_("summary (English)"), max_length=2000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    full_text = forms.CharField(label=_("full text"), max_length=60000, required=False,
                                widget=forms.Textarea(attrs={"rows": 8}))
    link = forms.URLField(label=_("link to the official text"), max_length=500, required=False,
                          assume_scheme="https")
    reward_rules = forms.ModelMultipleChoiceField(
        label=_("reward rules"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The platform's reward rules that carry out this policy."))
    title_rules = forms.ModelMultipleChoiceField(
        label=_("title eligibility rules"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The routes to a title that this policy sets or relies on."))

    def __init__(self, *args, scope, **kwargs):
        from tmhub.core.models import District
        from tmhub.evaluation.models import EligibilityRule
        from tmhub.insights.choices import PolicyLevel
        from tmhub.insights.policies import policy_districts
        from tmhub.transfer.models import RewardRule

        super().__init__(*args, **kwargs)
        if scope.is_municipal:
            self.fields["level"].choices = PolicyLevel.choices
            self.fields["district"].queryset = District.objects.all()
        else:
            self.fields["level"].choices = [(PolicyLevel.DISTRICT, PolicyLevel.DISTRICT.label)]
            self.fields["district"].queryset = District.objects.filter(
                pk__in=policy_districts(scope))
            self.fields["district"].required = True
        self.fields["reward_rules"].queryset = RewardRule.objects.filter(is_active=True)
        self.fields["title_rules"].queryset = EligibilityRule.objects.select_related("level")

    def clean(self):
        data = super().clean()
        if not (data.get("full_text") or "").strip() and not data.get("link"):
            self.add_error("full_text", _("Give the full text or a link to the official text."))
        return data


class WithdrawForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class MeetingForm(BootstrapFormMixin, forms.Form):
    held_on = forms.DateField(label=_("held on"), widget=DateInput)
    title = forms.CharField(label=_("title"), max_length=200)
    departments = forms.MultipleChoiceField(label=_("attending departments"),
                                            choices=PlanDepartment.choices,
                                            widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(label=_("notes"), max_length=4000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class AgendaItemForm(BootstrapFormMixin, forms.Form):
    task = forms.ModelChoiceField(label=_("task"), queryset=None, required=False)
    subject = forms.CharField(label=_("subject"), max_length=300)
    decision = forms.CharField(label=_("decision"), max_length=4000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = meeting.plan.tasks.order_by("kind", "number")


class ActionForm(BootstrapFormMixin, forms.Form):
    agenda_item = forms.ModelChoiceField(label=_("agenda item"), queryset=None, required=False)
    task = forms.ModelChoiceField(label=_("task"), queryset=None, required=False,
                                  help_text=_("Leave empty to take the agenda item's task."))
    text = forms.CharField(label=_("follow-up action"), max_length=500)
    owner = forms.ChoiceField(label=_("owner"), choices=PlanDepartment.choices)
    due_on = forms.DateField(label=_("due on"), widget=DateInput)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda.all()
        self.fields["task"].queryset = meeting.plan.tasks.order_by("kind", "number")


class CompleteActionForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("how it was done"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
