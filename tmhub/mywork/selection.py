"""The one reading of "my items" both the page and the API answer: filters by module, due
window and words, over tmhub.core.work_items."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmhub.core import work_items
from tmhub.core.forms import BootstrapFormMixin

# Due windows: "overdue", or due within N days (overdue included), or everything.
WINDOWS = {"overdue": None, "7": 7, "30": 30, "90": 90}
WINDOW_CHOICES = [("", _("Any time")), ("overdue", _("Overdue")),
                  ("7", _("Due within 7 days")), ("30", _("Due within 30 days")),
                  ("90", _("Due within 90 days"))]


def module_label(module: str) -> str:
    try:
        return str(apps.get_app_config(module).verbose_name)
    except LookupError:
        return module


def module_choices():
    modules = dict.fromkeys(source.module for source in work_items.sources())
    return [("", _("All modules"))] + [(m, module_label(m)) for m in modules]


class ItemFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    module = forms.ChoiceField(label=_("Module"), required=False, choices=())
    due = forms.ChoiceField(label=_("Due"), required=False, choices=WINDOW_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = module_choices()


def select(scope, params, today=None):
    """(form, items, counts per module before the module filter) for ``params`` (GET)."""
    today = today or timezone.localdate()
    form = ItemFilterForm(params or None)
    data = form.cleaned_data if form.is_valid() else {}
    due = data.get("due") or ""
    everything = work_items.items_for(
        scope, due_within_days=WINDOWS.get(due) if due else None, today=today)
    if due == "overdue":
        everything = [item for item in everything if item.overdue(today)]
    words = (data.get("q") or "").strip().lower()
    if words:
        everything = [item for item in everything
                      if words in f"{item.title} {item.detail} {item.kind_label}".lower()]
    counts = {}
    for item in everything:
        counts[item.module] = counts.get(item.module, 0) + 1
    module = data.get("module") or ""
    items = [item for item in everything if not module or item.module == module]
    return form, items, counts
