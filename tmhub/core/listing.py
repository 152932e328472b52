"""A list page that every module reuses: restricted, filtered, paginated, exportable.

`?export=xlsx` or `?export=csv` exports exactly the filtered rows the user may see; an HTMX
request gets only the results partial, so search-as-you-type does not reload the page.
"""

from django.views.generic import ListView

from tmhub.core.access import VIEW
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.tabular.exporting import export_rows

EXPORT_FORMATS = {"xlsx", "csv"}
EXPORT_MAX_ROWS = 100_000


class RestrictedListView(ListView):
    filterset_class = None
    paginate_by = 25
    partial_template_name = None
    export_filename = "export"

    def base_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        queryset = self.base_queryset().restrict(self.request.user, VIEW)
        if self.filterset_class is None:
            self.filterset = None
            return queryset
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        return self.filterset.qs

    def get_export_columns(self):
        return []

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in EXPORT_FORMATS and self.get_export_columns():
            rows = self.get_queryset()[:EXPORT_MAX_ROWS]
            return export_rows(rows, self.get_export_columns(), fmt, self.export_filename)
        return super().get(request, *args, **kwargs)

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and self.partial_template_name:
            return [self.partial_template_name]
        return super().get_template_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        if self.filterset is not None:
            BootstrapFormMixin.style_fields(self.filterset.form)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        context["querystring"] = query.urlencode()
        context["can_export"] = bool(self.get_export_columns())
        return context
