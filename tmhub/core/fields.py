"""Model fields shared by the apps."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from tmhub.core.validators import normalize_phone, parse_phone, validate_phone


class LimitedTextField(models.TextField):
    """A TextField whose `max_length` holds everywhere: Django's own TextField passes it only
    to the form widget, so a service's full_clean (imports, SYSTEM jobs) would accept any
    length. Here the model validates it too (code `max_length`), the form's textarea carries
    `maxlength` (core/static/core/charcount.js shows "123 / 2000" as the user types) and the
    API's serializer field derives the same limit."""

    @cached_property
    def validators(self):
        limit = [MaxLengthValidator(self.max_length)] if self.max_length is not None else []
        return [*self.default_validators, *self._validators, *limit]


class PhoneField(models.CharField):
    """A phone number, checked by `validate_phone` (mainland numbers as dialled at home,
    international ones with their country code) and stored in E.164 (+8613812345678).

    Cleaning (forms, the API's service call, full_clean) and saving both normalise, so every
    way in stores the same form; a value that does not parse is left as typed for the
    validator to name (code `invalid_phone`)."""

    description = _("Phone number")
    default_validators = [validate_phone]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 30)  # as typed, with spaces and dashes; E.164 is ≤ 16
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_phone(value) if value else value

    def pre_save(self, model_instance, add):
        value = normalize_phone(getattr(model_instance, self.attname) or "")
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhoneFormField, **kwargs})


class PhoneFormField(forms.CharField):
    """The form side of PhoneField: a telephone input that refuses what is not a number and
    hands on the E.164 form."""

    default_validators = [validate_phone]
    widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_phone(value) if value else value


# --- stored numbers -------------------------------------------------------------------------

E164_REGEX = r"^\+[1-9][0-9]{6,14}$"


def invalid_phone_q(field_name: str) -> models.Q:
    """Rows whose `field_name` holds something other than blank or an E.164 number: values
    stored before numbers were checked that no normalisation could read."""
    return ~models.Q(**{field_name: ""}) & ~models.Q(**{f"{field_name}__regex": E164_REGEX})


def normalize_stored_phones(app_label: str, model_name: str, field_name: str):
    """A data migration's forward step: rewrite every stored number of one field that parses
    in E.164; leave the others as they are (the admin lists them: `InvalidPhoneFilter`)."""

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        rows = model._base_manager.exclude(**{field_name: ""}).values_list("pk", field_name)
        for pk, value in rows.iterator():
            normal = normalize_phone(value)
            if normal != value and parse_phone(value) is not None:
                model._base_manager.filter(pk=pk).update(**{field_name: normal})

    return forward
