"""A person's notifications: the list (paged, filtered by unread, kind and module), marking read,
and their preferences (language, which kinds also come by e-mail); the language switch that
saves the choice of a signed-in person."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from tmhub.core import notifications as notes
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.listing import page_or_404


class NotificationFilterForm(BootstrapFormMixin, forms.Form):
    """The list's filters (GET); a value that is not offered is ignored, not an error page."""

    show = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[("", gettext_lazy("All")), ("unread", gettext_lazy("Unread only"))],
    )
    module = forms.ChoiceField(label=gettext_lazy("Module"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)

    def __init__(self, *args, received_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        kinds = [notes.KINDS[key] for key in notes.KINDS if key in set(received_kinds)]
        modules = dict.fromkeys(k.module for k in kinds)
        self.fields["module"].choices = everything + [
            (m, str(notes.MODULES[m])) for m in notes.MODULES if m in modules
        ]
        self.fields["kind"].choices = everything + [(k.key, str(k.label)) for k in kinds]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"unread": False, "kind": "", "module": ""}
        data = self.cleaned_data
        return {"unread": data["show"] == "unread", "kind": data["kind"], "module": data["module"]}


@login_required
def notification_list(request):
    mine = request.user.notifications.all()
    received = mine.order_by().values_list("kind", flat=True).distinct()
    form = NotificationFilterForm(request.GET or None, received_kinds=list(received))
    filters = form.filters()
    page = page_or_404(notes.filter_notifications(mine, **filters), request)
    for note in page:
        note.kind_label = notes.kind_label(note.kind)
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "core/notifications.html",
        {
            "filterset": {"form": form},
            "page_obj": page,
            "paginator": page.paginator,
            "notifications": page.object_list,
            "querystring": urlencode(query),
            "filters": filters,
            "filtered": any(filters.values()),
            "unread_here": notes.filter_notifications(
                mine, unread=True, kind=filters["kind"], module=filters["module"]
            ).exists(),
        },
    )


def _back_to_list(request):
    """The list as it was (its filters kept), whatever was posted."""
    query = {k: request.POST.get(k, "") for k in ("show", "module", "kind", "page")}
    query = {k: v for k, v in query.items() if v}
    url = redirect("core:notifications").url
    return redirect(f"{url}?{urlencode(query)}" if query else url)


@login_required
@require_POST
def notification_mark_read(request):
    """Mark all unread read: all of them, or those of the kind or module the list shows, or
    the one notification named (`id`)."""
    raw_id = request.POST.get("id", "")
    ids = [int(raw_id)] if raw_id.isdigit() else None
    count = notes.mark_read(
        request.user,
        ids=ids,
        kind=request.POST.get("kind", ""),
        module=request.POST.get("module", ""),
    )
    if ids is None and count:
        text = ngettext(
            "Marked %(count)s notification as read.",
            "Marked %(count)s notifications as read.",
            count,
        )
        messages.success(request, text % {"count": count})
    return _back_to_list(request)


class PreferencesForm(BootstrapFormMixin, forms.Form):
    """A person's language and the kinds that also reach them by e-mail."""

    language = forms.ChoiceField(
        label=gettext_lazy("Language of notifications and e-mails"),
        choices=settings.LANGUAGES,
    )
    email_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Also send by e-mail"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=lambda: [(k.key, k.label) for k in notes.KINDS.values()],
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    user = request.user
    muted = set(user.email_muted_kinds or ())
    initial = {
        "language": notes.user_language(user),
        "email_kinds": [key for key in notes.KINDS if key not in muted],
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notes.set_preferences(
            user,
            actor=user,
            language=form.cleaned_data["language"],
            email_kinds=form.cleaned_data["email_kinds"],
        )
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("core:notification-preferences")
    chosen = set(form["email_kinds"].value() or ())
    groups = [
        (label, [(kind, kind.key in chosen) for kind in kinds])
        for _module, label, kinds in notes.kinds_by_module()
    ]
    return render(
        request,
        "core/notification_preferences.html",
        {
            "form": form,
            "groups": groups,
            "has_email": bool(user.email),
        },
    )


def set_language(request):
    """Django's language switch (cookie, back to the page), and for a signed-in person their
    preferred language too, so their notifications and e-mails follow it."""
    response = django_set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        notes.set_language(
            request.user, actor=request.user, language=request.POST.get("language", "")
        )
    return response
