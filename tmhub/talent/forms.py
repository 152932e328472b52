"""Talent forms: parse input; the services validate and write."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from tmhub.accounts.models import User
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.widgets import RemoteSelect, StyledClearableFileInput
from tmhub.talent.documents import MAX_DOCUMENT_BYTES, DocumentKind
from tmhub.talent.models import Competence, ManagerProfile
from tmhub.talent.registration import COMMENTABLE_FIELDS, SUBMIT_REQUIRED_FIELDS


class SignupForm(BootstrapFormMixin, forms.Form):
    """A new person joins the platform to register as a technology manager."""

    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("This user name is taken."), code="duplicate")
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password"):
            user = User(username=cleaned.get("username", ""), email=cleaned.get("email", ""))
            try:
                validate_password(cleaned["password"], user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class ProfileForm(BootstrapFormMixin, forms.ModelForm):
    """The profile; the ID number is write-only (never rendered back, even masked)."""

    id_number = forms.CharField(
        label=_("ID number"), required=False, max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Resident ID (18 digits, check digit verified) or passport number. Stored "
                    "encrypted and shown masked; leave blank to keep the current number."),
    )
    competences = forms.ModelMultipleChoiceField(
        label=_("Competences"), queryset=Competence.objects.filter(is_active=True),
        required=False, widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ManagerProfile
        fields = [
            "full_name", "name_en", "identity_type", "id_number", "nationality", "employer",
            "employment_type", "work_district", "position", "degree", "school", "major",
            "discipline", "fields", "competences", "languages",
            "professional_title", "entry_route", "years_experience", "bio", "photo", "phone",
            "email",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "fields": forms.CheckboxSelectMultiple,
            # Searched on the server as one types (every organisation; 2,916 disciplines).
            "employer": RemoteSelect("core:lookup-organizations"),
            "discipline": RemoteSelect("core:lookup-disciplines", params={"level": 1}),
            "photo": StyledClearableFileInput,
        }

    def __init__(self, *args, comments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["discipline"].queryset = self.fields["discipline"].queryset.filter(level=1)
        self.fields["employer"].queryset = self.fields["employer"].queryset.filter(
            is_active=True)
        if self.instance.pk and self.instance.id_number_masked:
            self.fields["id_number"].help_text = _("Current: %(masked)s. Leave blank to keep "
                                                   "it.") % {"masked":
                                                             self.instance.id_number_masked}
        # What the submit check requires is required here too, and marked so; a stored ID
        # number may be kept (the field is write-only).
        for name in SUBMIT_REQUIRED_FIELDS:
            if name in self.fields:
                self.fields[name].required = not (
                    name == "id_number" and self.instance.id_number_digest)
        # The reviewer's comments per field, shown where the applicant needs them.
        for name, comment in (comments or {}).items():
            if name in self.fields:
                self.fields[name].help_text = _("Reviewer: %(comment)s") % {"comment": comment}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (each checked by the documents service)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class RegistrationStartForm(BootstrapFormMixin, forms.Form):
    """申请入库: a statement and the supporting documents, one input per kind."""

    statement = forms.CharField(label=_("Statement of the applicant"), required=False,
                                max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in DocumentKind.choices:
            self.fields[f"document_{kind}"] = MultipleFileField(
                label=label, required=False,
                help_text=_("PDF, OFD, PNG or JPG, up to %(size)s MB each.")
                % {"size": MAX_DOCUMENT_BYTES // (1024 * 1024)})


class DocumentForm(BootstrapFormMixin, forms.Form):
    """One supporting document added to a registration."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"))


class ReturnForm(BootstrapFormMixin, forms.Form):
    """Return for changes: a reason and an optional comment per profile field."""

    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {f.name: f.verbose_name for f in ManagerProfile._meta.get_fields()
                  if hasattr(f, "verbose_name")}
        labels["id_number"] = _("ID number")
        labels["statement"] = _("Statement of the applicant")
        for name in COMMENTABLE_FIELDS:
            self.fields[f"comment_{name}"] = forms.CharField(
                label=labels.get(name, name), required=False, max_length=500)

    def field_comments(self) -> dict:
        return {name: self.cleaned_data.get(f"comment_{name}", "")
                for name in COMMENTABLE_FIELDS if self.cleaned_data.get(f"comment_{name}")}


class RevealForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why do you need the full ID number?"), max_length=500)


class FilingForm(BootstrapFormMixin, forms.Form):
    """One number per registered filing source, pre-filled; plus a summary and explanations."""

    summary = forms.CharField(label=_("Summary of the year's work"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    corrections_note = forms.CharField(label=_("Explanation of corrections"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, figures=(), **kwargs):
        from tmhub.talent.filing import fen_to_yuan

        super().__init__(*args, **kwargs)
        self.figure_names = []
        self.money = set()
        for key, label, value, money in figures:
            name = f"figure_{key}"
            # Money is stored in fen and typed in yuan (two decimals); counts are whole.
            self.fields[name] = forms.DecimalField(
                label=label, required=False, min_value=0, decimal_places=2 if money else 0,
                initial=fen_to_yuan(value) if money else value,
                help_text=_("In yuan, with at most two decimals.") if money else "")
            if money:
                self.money.add(key)
            self.figure_names.append((key, name))
        # Figures first, text after.
        self.order_fields([n for _k, n in self.figure_names] + ["summary", "corrections_note"])

    def figures(self) -> dict:
        """The figures as the service takes them: money in fen."""
        from tmhub.talent.filing import yuan_to_fen

        return {key: yuan_to_fen(self.cleaned_data.get(name)) if key in self.money
                else self.cleaned_data.get(name) for key, name in self.figure_names}


class BulkApproveForm(forms.Form):
    ids = forms.CharField(required=False)  # comma-separated, parsed in the view
