"""Page-number pagination with a client-chosen page size (capped)."""

from django.core.paginator import InvalidPage, Page
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination

from tmhub.core import result_cache


class StandardPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


class CachedResultPagination(StandardPagination):
    """StandardPagination for the big public API lists: each query's page of ids and count come
    from the list cache until any record changes (tmhub.core.result_cache); the rows are read
    through the caller's policy on every request."""

    def paginate_queryset(self, queryset, request, view=None):
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        name = f"api:{type(view).__module__}.{type(view).__qualname__}" if view else "api"
        key, entry = result_cache.lookup(name, request.query_params, request.user)
        if entry is None:
            rows = super().paginate_queryset(queryset, request, view)
            result_cache.put(key, [row.pk for row in rows], self.page.paginator.count)
            return rows
        paginator = self.django_paginator_class(queryset, page_size)
        paginator.__dict__["count"] = entry["count"]  # Paginator.count is a cached property
        page_number = self.get_page_number(request, paginator)
        if page_number in self.last_page_strings:
            page_number = paginator.num_pages
        try:
            number = paginator.validate_number(page_number)
        except InvalidPage as exc:
            raise NotFound(
                self.invalid_page_message.format(page_number=page_number, message=str(exc))
            ) from exc
        self.page = Page(result_cache.rows_in_order(queryset, entry["ids"]), number, paginator)
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        self.request = request
        return list(self.page)
