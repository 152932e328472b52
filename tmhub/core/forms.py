"""Forms shared across modules."""

from django import forms
from django.utils.text import get_text_list
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


def widget_class(widget) -> str:
    """The Bootstrap class of a widget's input: a box or a round button for checkboxes and
    radio groups (each option's input), form-select for lists, form-control for the rest."""
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):  # CheckboxSelectMultiple too
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    if getattr(widget, "input_type", "") == "range":
        return "form-range"
    return "form-control"


# A checkbox or radio group as Bootstrap draws it: one .form-check per option.
CHECK_GROUP_TEMPLATE = "core/widgets/check_group.html"
CHECK_OPTION_TEMPLATE = "core/widgets/check_option.html"


def style_widget(widget) -> None:
    """Give `widget` (and each part of a multi-part widget) its Bootstrap class and look,
    keeping a class that was set on purpose."""
    if isinstance(widget, forms.MultiWidget):
        # The outer widget's attrs override its parts': each part is styled on its own.
        for part in widget.widgets:
            style_widget(part)
        return
    if widget.is_hidden:
        return
    widget.attrs.setdefault("class", widget_class(widget))
    if isinstance(widget, forms.RadioSelect):
        widget.template_name = CHECK_GROUP_TEMPLATE
        widget.option_template_name = CHECK_OPTION_TEMPLATE


def mark_invalid(form) -> None:
    """Outline the inputs of fields with errors (Bootstrap's .is-invalid), once the form has
    been validated; never validates a form itself."""
    if not form.is_bound or form._errors is None:
        return
    for name in form.errors:
        field = form.fields.get(name)
        if field is None or field.widget.is_hidden:
            continue
        widgets = getattr(field.widget, "widgets", [field.widget])
        for widget in widgets:
            css = widget.attrs.get("class", "")
            if "is-invalid" not in css.split():
                widget.attrs["class"] = f"{css} is-invalid".strip()


def natural_unique_error(error):
    """Django's "Organisation with this Unified social credit code already exists." (in
    Chinese "包含 统一社会信用代码 的 机构 已经存在。") said as a person would, or None when
    `error` is no uniqueness error."""
    if error.code not in ("unique", "unique_together") or not error.params:
        return None
    opts = error.params["model_class"]._meta
    labels = [str(opts.get_field(name).verbose_name) for name in error.params["unique_check"]]
    values = {"model_name": opts.verbose_name}
    if error.code == "unique":
        values["field_label"] = labels[0]
        message = _("Another %(model_name)s already has this %(field_label)s.")
    else:
        values["field_labels"] = get_text_list(labels, _("and"))
        message = _("Another %(model_name)s already has the same %(field_labels)s.")
    return forms.ValidationError(message, code=error.code, params=values)


class BootstrapFormMixin:
    """Give every widget the Bootstrap class that matches its kind, and say uniqueness errors
    in words (natural_unique_error)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields(self)

    def _post_clean(self):
        super()._post_clean()  # a ModelForm's model validation: where uniqueness is checked
        for errors in self._errors.values():
            errors.data[:] = [natural_unique_error(e) or e
                              if isinstance(e, forms.ValidationError) else e
                              for e in errors.data]

    @staticmethod
    def style_fields(form):
        for field in form.fields.values():
            style_widget(field.widget)
