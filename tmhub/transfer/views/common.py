"""Small helpers of the transfer views."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def run_step(request, func, *args, success=None, **kwargs):
    """Call a service for a button: flash its refusal or `success`; return the result or None."""
    try:
        result = func(*args, actor=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, success or _("Done."))
    return result


def back(obj):
    return redirect(obj.get_absolute_url())
