"""Reminder settings (/my/settings/) and the personal calendar feed (/my/calendar/<key>.ics)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tmhub.core import work_items
from tmhub.core.access import get_scope
from tmhub.core.forms import BootstrapFormMixin
from tmhub.mywork import calendar, reminders, services
from tmhub.mywork.models import ReminderSettings


class ReminderSettingsForm(BootstrapFormMixin, forms.Form):
    remind = forms.MultipleChoiceField(
        label=gettext_lazy("Remind me of"), required=False,
        widget=forms.CheckboxSelectMultiple, choices=())
    digest = forms.ChoiceField(label=gettext_lazy("Digest"),
                               choices=ReminderSettings.Digest.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remind"].choices = [(s.kind, s.label) for s in work_items.sources()]


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    row = reminders.settings_for(request.user)
    kinds = [s.kind for s in work_items.sources()]
    initial = {"remind": [k for k in kinds if k not in (row.muted_kinds or ())],
               "digest": row.digest}
    form = ReminderSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        muted = [k for k in kinds if k not in form.cleaned_data["remind"]]
        services.set_reminder_settings(request.user, actor=request.user, muted_kinds=muted,
                                       digest=form.cleaned_data["digest"])
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("mywork:settings")
    feed_url = None
    if row.pk:
        feed_url = request.build_absolute_uri(
            reverse("mywork:calendar", args=[row.calendar_key]))
    return render(request, "mywork/settings.html", {
        "form": form, "feed_url": feed_url, "offsets": reminders.offsets()})


@login_required
@require_POST
def calendar_reset(request):
    """Issue the calendar address (the first time) or a new one (the old stops answering)."""
    existed = ReminderSettings.objects.filter(user=request.user).exists()
    services.calendar_settings(request.user, actor=request.user, reset=existed)
    messages.success(request, _("Your calendar address is new: subscribe again with it.")
                     if existed else _("Your calendar address is ready."))
    return redirect("mywork:settings")


@require_GET
def calendar_feed(request, key):
    """The due dates of the key's owner; an unknown key is 404 (no sign-in: calendar apps
    fetch it alone, the secret address is the key)."""
    if not key.isascii() or not key.replace("-", "").replace("_", "").isalnum():
        raise Http404  # not a key we issue (PostgreSQL refuses a NUL in a query: a 500)
    row = ReminderSettings.objects.filter(calendar_key=key).select_related("user").first()
    if row is None or not row.user.is_active:
        raise Http404
    items = work_items.items_for(get_scope(row.user))
    body = calendar.feed(items, base_url=request.build_absolute_uri("/").rstrip("/"),
                         name=_("My work"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
