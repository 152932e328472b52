"""List filters the apps' admin pages share."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tmhub.core.fields import invalid_phone_q


def invalid_phone_filter(field_name: str) -> type[admin.SimpleListFilter]:
    """A filter listing the rows whose phone field holds a number that could not be read (kept
    as typed when numbers were normalised to E.164): for an administrator to correct."""

    class InvalidPhoneFilter(admin.SimpleListFilter):
        title = _("phone number")
        parameter_name = f"{field_name}_check"

        def lookups(self, request, model_admin):
            return [("invalid", _("Not a valid number"))]

        def queryset(self, request, queryset):
            if self.value() == "invalid":
                return queryset.filter(invalid_phone_q(field_name))
            return queryset

    return InvalidPhoneFilter
