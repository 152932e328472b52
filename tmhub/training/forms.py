"""Forms of the training pages; they parse input, the services decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tmhub.accounts.models import User
from tmhub.core.forms import BootstrapFormMixin
from tmhub.training.choices import AttendanceStatus
from tmhub.training.models import (
    Assessment,
    Cohort,
    Course,
    Instructor,
    Programme,
    Session,
    TrainingProvider,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ProgrammeForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["code", "name_zh", "name_en", "kind", "level", "description_zh",
                  "description_en", "is_published"]
        widgets = {"description_zh": forms.Textarea(attrs={"rows": 3}),
                   "description_en": forms.Textarea(attrs={"rows": 3})}


class CourseForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Course
        fields = ["code", "name_zh", "name_en", "module", "hours", "is_elective",
                  "instructors", "description_zh", "description_en", "sort_order"]
        widgets = {"description_zh": forms.Textarea(attrs={"rows": 3}),
                   "description_en": forms.Textarea(attrs={"rows": 3}),
                   "instructors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programme is not None:
            self.fields["instructors"].queryset = Instructor.objects.filter(
                provider=programme.provider_id, is_active=True)


class CohortForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["code", "title", "title_en", "start_date", "end_date", "enrolment_deadline",
                  "capacity", "mode", "location", "notes"]
        widgets = {"start_date": DATE, "end_date": DATE, "enrolment_deadline": DATE,
                   "notes": forms.Textarea(attrs={"rows": 3})}


class SessionForm(BootstrapFormMixin, forms.ModelForm):
    hours = forms.DecimalField(label=_("class hours"), required=False, min_value=0.5,
                               max_digits=5, decimal_places=1,
                               help_text=_("Leave empty to use the course's class hours."))

    class Meta:
        model = Session
        fields = ["course", "date", "start_time", "end_time", "hours", "instructor"]
        widgets = {"date": DATE, "start_time": TIME, "end_time": TIME}

    def __init__(self, *args, cohort=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cohort is not None:
            self.fields["course"].queryset = Course.objects.filter(programme=cohort.programme_id)
            self.fields["instructor"].queryset = Instructor.objects.filter(
                provider=cohort.programme.provider_id, is_active=True)


class AssessmentForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["title", "course", "date", "max_score", "pass_score", "is_required"]
        widgets = {"date": DATE}

    def __init__(self, *args, cohort=None, **kwargs):
        super().__init__(*args, **kwargs)
        if cohort is not None:
            self.fields["course"].queryset = Course.objects.filter(programme=cohort.programme_id)


class EnrolForm(BootstrapFormMixin, forms.Form):
    motivation = forms.CharField(label=_("Why do you want to join? (optional)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class BulkEnrolForm(BootstrapFormMixin, forms.Form):
    trainees = forms.ModelMultipleChoiceField(
        label=_("Managers to enrol"), queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["trainees"].queryset = candidates


class MentorForm(BootstrapFormMixin, forms.Form):
    mentor = forms.ModelChoiceField(label=_("mentor"), queryset=Instructor.objects.none())
    notes = forms.CharField(label=_("notes"), required=False, max_length=500)

    def __init__(self, *args, provider=None, **kwargs):
        super().__init__(*args, **kwargs)
        if provider is not None:
            self.fields["mentor"].queryset = Instructor.objects.filter(provider=provider,
                                                                       is_active=True)


ATTENDANCE_CHOICES = [("", "—")] + list(AttendanceStatus.choices)


class VerifyForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=40)


class ProviderForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = TrainingProvider
        fields = ["name_zh", "name_en", "kind", "organization", "country", "website",
                  "description_zh", "description_en", "is_active"]


class InstructorForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Instructor
        fields = ["name", "name_en", "kind", "organization", "organization_name", "title",
                  "fields", "bio", "is_active"]
        widgets = {"fields": forms.CheckboxSelectMultiple}


class ExternalHoursForm(BootstrapFormMixin, forms.Form):
    trainee = forms.ModelChoiceField(label=_("manager"), queryset=User.objects.none())
    date = forms.DateField(label=_("date"), widget=DATE)
    title = forms.CharField(label=_("activity"), max_length=200)
    organiser = forms.CharField(label=_("organiser"), max_length=200, required=False)
    hours = forms.DecimalField(label=_("class hours"), max_digits=5, decimal_places=1,
                               min_value=Decimal("0.1"))

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["trainee"].queryset = candidates
