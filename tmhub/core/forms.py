"""Forms shared across modules."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    sheet = forms.CharField(
        label=_("Sheet name (optional; the first sheet by default)"), required=False,
        max_length=100,
    )


class ReasonForm(forms.Form):
    """The reason a workflow step asks for."""

    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class BootstrapFormMixin:
    """Give every widget the Bootstrap class that matches its kind."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields(self)

    @staticmethod
    def style_fields(form):
        for field in form.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput,)):
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                css = ""
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs.setdefault("class", css)
