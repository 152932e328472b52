"""Selects one can type in: Tom Select (npm, served locally) over a plain <select>.

Two kinds, both plain <select> elements in the page (a form still posts without JavaScript,
and the form field still validates the value against its own queryset):

- ``SearchableSelect``: every option is in the page; Tom Select filters them as one types.
  For lists of up to a few hundred (an institution, a project's managers).
- ``RemoteSelect`` / ``RemoteSelectMultiple``: only the chosen options are in the page; the
  others come from a JSON lookup (tmhub.core.search_views) as one types, searched on the
  server inside the user's scope. For the long lists: 2,916 disciplines, every organisation,
  every manager one may see.

``tmhub/static/tmhub/searchable-select.js`` finds ``select[data-searchable]`` (in the page and
in HTMX swaps) and starts Tom Select on it; nothing inline, as the Content-Security-Policy
allows scripts from our own static files only.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _texts() -> dict[str, str]:
    """The words Tom Select shows, in the page's language (it has English built in)."""
    return {
        "data-placeholder": _("Type to search…"),
        "data-no-results": _("No matches"),
        "data-loading": _("Searching…"),
        "data-remove": _("Remove"),
    }


def searchable_attrs() -> dict:
    """Attributes that make any <select> (a filter's FastSelect) searchable in the page."""
    return {"data-searchable": "local", **_texts()}


class SearchableSelect(forms.Select):
    """A select whose options Tom Select filters as one types (all options in the page)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__({"data-searchable": "local", **(attrs or {})}, choices)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"] = {**_texts(), **context["widget"]["attrs"]}
        return context


class RemoteSelect(forms.Select):
    """A select of a model choice field that renders only the chosen option(s) and lets Tom
    Select fetch the others from ``url_name`` (``?q=`` plus ``params``) as one types.

    Rendering all 2,916 disciplines made every form that offers one a 300 KB page; the
    lookup answers the twenty best matches instead."""

    def __init__(self, url_name: str, *, params: dict | None = None, attrs=None, choices=()):
        self.url_name = url_name
        self.params = dict(params or {})
        super().__init__(attrs, choices)

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.params = dict(self.params)
        return copy

    def lookup_url(self) -> str:
        url = reverse(self.url_name)
        return f"{url}?{urlencode(self.params)}" if self.params else url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"] = {
            **_texts(),
            "data-searchable": "remote",
            "data-searchable-url": self.lookup_url(),
            **context["widget"]["attrs"],
        }
        return context

    def optgroups(self, name, value, attrs=None):
        # Only the options chosen (and the empty one), not the whole queryset.
        all_choices = self.choices
        self.choices = list(self._chosen(all_choices, value))
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = all_choices

    def _chosen(self, choices, value):
        chosen = [v for v in value if v not in ("", None)]
        queryset = getattr(choices, "queryset", None)
        if queryset is None:  # plain choices: keep the chosen ones
            yield from (c for c in choices if str(c[0]) in {str(v) for v in chosen})
            return
        field = choices.field
        if field.empty_label is not None and not self.allow_multiple_selected:
            yield ("", field.empty_label)
        if not chosen:
            return
        try:
            rows = list(queryset.filter(pk__in=chosen))
        except (ValueError, TypeError, ValidationError):  # a value that is no id at all
            return
        yield from (choices.choice(obj) for obj in rows)


class RemoteSelectMultiple(RemoteSelect, forms.SelectMultiple):
    """RemoteSelect for a multiple choice field (project partners)."""


class AnyYesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice reads “All” (Django's reads “Unknown”, which on a
    filter looks like a value of the records)."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", _("All")), ("true", _("Yes")), ("false", _("No")))


class StyledClearableFileInput(forms.ClearableFileInput):
    """A file input whose “clear” checkbox is drawn as a Bootstrap check (Django's has no class)."""

    template_name = "core/widgets/clearable_file_input.html"
