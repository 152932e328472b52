"""A list page that every module reuses: restricted, filtered, paginated, exportable.

`?export=xlsx` or `?export=csv` exports exactly the filtered rows the user may see; an HTMX
request gets only the results partial, so search-as-you-type does not reload the page.
"""

import django_filters
from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.forms.utils import pretty_name
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from tmhub.core import result_cache
from tmhub.core.access import VIEW
from tmhub.core.forms import BootstrapFormMixin
from tmhub.core.params import positive_int
from tmhub.core.tabular.exporting import export_rows

EXPORT_FORMATS = {"xlsx", "csv"}
EXPORT_MAX_ROWS = 100_000
# More pages than any list has: a larger page number is out of range without a query.
MAX_PAGE = 1_000_000
DESCENDING = gettext_lazy("{label} (descending)")


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's sort select with its labels in the UI's language. Its own
    "%s (descending)" has no Simplified Chinese and is formatted once, when the filter set's
    class is defined, so it would keep the language of that moment; these labels stay lazy
    and are read in the language of each request."""

    def build_choices(self, fields, labels):
        ascending = [
            (param, labels.get(field, gettext_lazy(pretty_name(param))))
            for field, param in fields.items()
        ]
        descending = [
            (f"-{param}", labels.get(f"-{param}", format_lazy(DESCENDING, label=label)))
            for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]


def page_or_404(items, request, per_page: int = 25):
    """The requested page of `items` for a function view, as the class-based lists answer it:
    no page parameter is the first page; one that is not a plain number, or lies beyond the
    last page, is 404 (never silently the last page, never a database overflow)."""
    raw = request.GET.get("page")
    number = 1 if raw in (None, "") else positive_int(raw)
    paginator = Paginator(items, per_page)
    if number is None or number > max(paginator.num_pages, 1):
        raise Http404
    return paginator.page(number)


class CappedCountPaginator(Paginator):
    """Counts at most `cap` rows: `SELECT COUNT(*) FROM (… LIMIT cap + 1)` stops reading as soon
    as it knows the set is large, where COUNT(*) over 100,000 rows reads them all.

    Sets of up to `cap` rows get their exact count (`count_capped` False); larger ones report
    `cap + 1` rows (`count_capped` True, shown as "more than `cap`"), which keeps every page up
    to the cap reachable, with a next page after it. Views pass a cap of at least the requested
    page's last row, so any page of the set stays reachable.
    """

    def __init__(self, *args, cap: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.count_capped = False

    @cached_property
    def count(self):
        rows = self.object_list
        if isinstance(rows, QuerySet):
            # Which rows make up the first cap + 1 does not matter: no ORDER BY to satisfy.
            counted = rows.order_by()[: self.cap + 1].count()
        else:
            counted = min(len(rows), self.cap + 1)
        self.count_capped = counted > self.cap
        return counted


class RestrictedListView(ListView):
    filterset_class = None
    paginate_by = 25
    # None: exact counts. A number: count at most that many rows (large public lists).
    count_cap = None
    # The big public lists remember each query's page of ids until any record changes
    # (tmhub.core.result_cache): the same searches come again and again.
    cache_results = False
    partial_template_name = None
    export_filename = "export"
    # An export that carries people's personal data is written to the access log, one row per
    # person (`personal_data_subject(row)` gives the person's record).
    personal_data_export = False

    def personal_data_subject(self, row):
        return row

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

    def _page_param(self):
        return self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1

    def paginate_queryset(self, queryset, page_size):
        # A page number that is not a plain number, or beyond any list's length, is a missing
        # page (404) decided here: a 23-digit one would overflow the database's OFFSET.
        page = self._page_param()
        number = positive_int(page)
        if page != "last" and (number is None or number > MAX_PAGE):
            raise Http404
        if not self.cache_results:
            return super().paginate_queryset(queryset, page_size)
        return self._paginate_through_cache(queryset, page_size, page)

    def _paginate_through_cache(self, queryset, page_size, page):
        """As ListView paginates, with the page's ids and the count from the list cache when
        no record has changed since they were computed (tmhub.core.result_cache)."""
        view = type(self)
        key, entry = result_cache.lookup(
            f"{view.__module__}.{view.__qualname__}", self.request.GET, self.request.user
        )
        if entry is None:
            paginator, page_obj, rows, is_paginated = super().paginate_queryset(
                queryset, page_size
            )
            result_cache.put(key, [row.pk for row in rows], paginator.count,
                             getattr(paginator, "count_capped", False))
            return paginator, page_obj, rows, is_paginated
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        paginator.__dict__["count"] = entry["count"]  # Paginator.count is a cached property
        if isinstance(paginator, CappedCountPaginator):
            paginator.count_capped = entry["capped"]
        try:
            number = paginator.validate_number(
                paginator.num_pages if page == "last" else int(page)
            )
        except (ValueError, InvalidPage) as exc:
            raise Http404 from exc
        page_obj = Page(result_cache.rows_in_order(queryset, entry["ids"]), number, paginator)
        return paginator, page_obj, page_obj.object_list, page_obj.has_other_pages()

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True,
                      **kwargs):
        if not self.count_cap:
            return super().get_paginator(queryset, per_page, orphans, allow_empty_first_page,
                                         **kwargs)
        cap = max(self.count_cap, positive_int(self._page_param(), 1) * per_page)
        return CappedCountPaginator(queryset, per_page, orphans=orphans,
                                    allow_empty_first_page=allow_empty_first_page, cap=cap,
                                    **kwargs)

    def get_export_columns(self):
        return []

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in EXPORT_FORMATS and self.get_export_columns():
            rows = self.get_queryset()[:EXPORT_MAX_ROWS]
            if self.personal_data_export:  # PIPL: one access-log row per person exported
                from tmhub.talent.personal_data import log_export

                rows = list(rows)
                log_export(request, map(self.personal_data_subject, rows),
                           self.get_export_columns())
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
