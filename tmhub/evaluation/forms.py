"""Forms of the evaluation app."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tmhub.evaluation.api.serializers import MAX_YEARS
from tmhub.evaluation.choices import NO_TITLE, RETURNABLE_FIELDS, Education, WorkKind, WorkRole
from tmhub.evaluation.models import (
    Objection,
    TitleApplication,
    TitleDirection,
    TitleLevel,
    TitleRound,
)
from tmhub.evaluation.services.applications import open_rounds


class EligibilityForm(forms.Form):
    """The one-step eligibility check (a GET form: it changes nothing)."""

    level = forms.ModelChoiceField(TitleLevel.objects.all(), label=_("Level applied for"),
                                   to_field_name="code")
    direction = forms.ModelChoiceField(TitleDirection.objects.all(), label=_("Direction"),
                                       to_field_name="code")
    # no education preselected: the lowest one, unasked, decided the verdict of who forgot it
    education = forms.ChoiceField(label=_("Highest education"),
                                  choices=[("", "---------"), *Education.choices])
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


class ApplicationForm(forms.ModelForm):
    """The applicant's draft: what the eligibility is computed from, and the summary. A returned
    application shows each field's open comment beside it."""

    round = forms.ModelChoiceField(TitleRound.objects.none(), label=_("Round"))

    class Meta:
        model = TitleApplication
        fields = ["round", *RETURNABLE_FIELDS]
        widgets = {"summary": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, comments=(), **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["round"]
        else:
            self.fields["round"].queryset = open_rounds()
            rounds = list(self.fields["round"].queryset)
            if len(rounds) == 1:
                self.fields["round"].initial = rounds[0].pk
        self.fields["current_title"].empty_label = _("No title")
        self.fields["summary"].help_text = _(
            "Your professional work in technology transfer: roles, results, figures.")
        for comment in comments:
            if comment.field in self.fields:
                field = self.fields[comment.field]
                field.help_text = _("To change: %(comment)s") % {"comment": comment.text}

    def service_values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "round"}


class ReturnForm(forms.Form):
    """A return for changes: a comment per field to change (at least one), and a reason."""

    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in RETURNABLE_FIELDS:
            label = TitleApplication._meta.get_field(name).verbose_name
            self.fields[f"comment_{name}"] = forms.CharField(
                label=_("Comment on “%(field)s”") % {"field": label}, required=False,
                max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def comments(self) -> dict:
        return {name: self.cleaned_data.get(f"comment_{name}", "")
                for name in RETURNABLE_FIELDS}

    def clean(self):
        data = super().clean()
        if not any((data.get(f"comment_{name}") or "").strip() for name in RETURNABLE_FIELDS):
            raise forms.ValidationError(
                _("Say which fields to change: write at least one comment."),
                code="comments_required")
        return data


class VoteForm(forms.Form):
    panel_size = forms.IntegerField(label=_("Panel members"), min_value=1, max_value=99)
    members_present = forms.IntegerField(label=_("Members present"), min_value=0,
                                         max_value=99)
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0, max_value=99)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0, max_value=99)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), min_value=0, max_value=99,
                                       initial=0)


class ObjectionForm(forms.ModelForm):
    class Meta:
        model = Objection
        fields = ["received_on", "objector", "text"]
        widgets = {"received_on": forms.DateInput(attrs={"type": "date"}),
                   "text": forms.Textarea(attrs={"rows": 4})}


class ResolveObjectionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("dismissed", _("Dismiss the objection")), ("upheld", _("Uphold the objection"))])
    resolution = forms.CharField(label=_("Resolution"), max_length=3000,
                                 widget=forms.Textarea(attrs={"rows": 3}))


class RevokeForm(forms.Form):
    """The revocation of an approved title: the reason is required (it stays in the
    application's history; the public verification page never shows it)."""

    reason = forms.CharField(
        label=_("Reason for the revocation"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: materials found to be falsified after the approval."))


class RoundForm(forms.ModelForm):
    class Meta:
        model = TitleRound
        fields = ["year", "opens_on", "closes_on"]
        # in context: another app's "applications close on" (报名截止日期, for events) wins
        labels = {"opens_on": pgettext_lazy("title round", "Applications open on"),
                  "closes_on": pgettext_lazy("title round", "Applications close on")}
        widgets = {"opens_on": forms.DateInput(attrs={"type": "date"}),
                   "closes_on": forms.DateInput(attrs={"type": "date"})}


class PickWorkForm(forms.Form):
    """A representative work picked from a platform record the applicant took part in."""

    record = forms.ChoiceField(label=_("Record"))
    kind = forms.ChoiceField(label=_("Kind of work"), required=False)
    role = forms.ChoiceField(label=_("Your role"), choices=WorkRole.choices)
    role_detail = forms.CharField(label=_("What you did"), max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, records: dict, **kwargs):
        super().__init__(*args, **kwargs)
        names = {"contract": _("Contract"), "project": _("Transfer project"),
                 "reward_split": _("Reward statement")}
        self.fields["record"].choices = [
            (str(names[source]), [(f"{source}:{r.pk}", _record_label(source, r)) for r in rows])
            for source, rows in records.items() if rows]
        self.fields["kind"].choices = [("", _("As the record"))] + list(WorkKind.choices)

    def picked(self) -> tuple[str, int]:
        source, _sep, pk = self.cleaned_data["record"].partition(":")
        return source, int(pk)


def _record_label(source, record) -> str:
    if source == "reward_split":
        return f"{record.number} · {record.income_date}"
    if source == "contract":
        return f"{record.number} {record.title}"
    return record.title


class UploadWorkForm(forms.Form):
    """A representative work the platform holds no record of, with its evidence file."""

    kind = forms.ChoiceField(label=_("Kind of work"), choices=WorkKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    role = forms.ChoiceField(label=_("Your role"), choices=WorkRole.choices)
    role_detail = forms.CharField(label=_("What you did"), max_length=1000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    happened_on = forms.DateField(label=_("Date"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text=_("Of publication, signature, grant or award."))
    evidence = forms.FileField(label=_("Evidence"))


# ---------------------------------------------------------------- panels and reviews
class ExpertForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, label=_("Platform user"),
                                  help_text=_("A user holding the reviewer role."))
    full_name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100)
    institution = forms.ModelChoiceField(queryset=None, label=_("Works for"))
    specialty = forms.CharField(label=_("Specialty"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        from tmhub.accounts.models import User
        from tmhub.core.roles import Role
        from tmhub.orgs.models import Organization

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            memberships__role=Role.REVIEWER, memberships__is_active=True,
            title_expert__isnull=True).distinct().order_by("username")
        self.fields["institution"].queryset = Organization.objects.order_by("name")


class PanelForm(forms.Form):
    round = forms.ModelChoiceField(TitleRound.objects.all(), label=_("Round"))
    level = forms.ModelChoiceField(TitleLevel.objects.all(), label=_("Level"))
    direction = forms.ModelChoiceField(TitleDirection.objects.all(), label=_("Direction"))
    name = forms.CharField(label=_("Name"), max_length=200)


class MemberForm(forms.Form):
    expert = forms.ModelChoiceField(queryset=None, label=_("Expert"))
    is_chair = forms.BooleanField(label=_("Chair"), required=False)

    def __init__(self, *args, panel, **kwargs):
        from tmhub.evaluation.models import TitleExpert

        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = TitleExpert.objects.filter(active=True).exclude(
            memberships__panel=panel).select_related("institution")


class AssignForm(forms.Form):
    """A member of the panel to review one application: those already assigned to it (or
    recused from it) are not offered again, nor those the assignment would refuse (the
    applicant, an expert of the applicant's institution, a conflict on record), who are listed
    in `not_offered` with the reason."""

    expert = forms.ModelChoiceField(queryset=None, label=_("Reviewer"))

    def __init__(self, *args, panel, application=None, **kwargs):
        from tmhub.evaluation.services.panels import CONFLICT_MESSAGES, conflict_of

        super().__init__(*args, **kwargs)
        members = panel.members.all().select_related("institution")
        self.not_offered = []
        if application is not None:
            members = members.exclude(pk__in=application.assignments.values("expert_id"))
            refused = []
            for member in members:
                conflict = conflict_of(member, application)
                if conflict:
                    refused.append(member.pk)
                    self.not_offered.append((member, CONFLICT_MESSAGES[conflict]))
            members = members.exclude(pk__in=refused)
        self.fields["expert"].queryset = members


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Conflict of interest"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class BureauConflictForm(ConflictForm):
    expert = forms.ModelChoiceField(queryset=None, label=_("Expert"))

    def __init__(self, *args, **kwargs):
        from tmhub.evaluation.models import TitleExpert

        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = TitleExpert.objects.all()
        self.order_fields(["expert", "reason"])


class ScoreForm(forms.Form):
    """One whole-number score per criterion in force (0 to its maximum) and a comment."""

    comment = forms.CharField(label=_("Review comment"), max_length=3000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        initial_scores = initial_scores or {}
        fields = {}
        for criterion in criteria:
            fields[f"score_{criterion.code}"] = forms.IntegerField(
                label=_("%(name)s (weight %(weight)s, 0–%(max)s)") % {
                    "name": criterion.name, "weight": criterion.weight,
                    "max": criterion.max_score},
                min_value=0, max_value=criterion.max_score,
                initial=initial_scores.get(criterion.code),
                help_text=_("To be confirmed by 市人社局")
                if not criterion.confirmed else "")
        self.fields = {**fields, **self.fields}

    def scores(self) -> dict:
        return {c.code: self.cleaned_data[f"score_{c.code}"] for c in self.criteria}
