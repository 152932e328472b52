"""`?search=` on achievements and demands answered from the stored search text."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter, SearchFilter

from tmhub.transfer import search as token_search


class TokenSearchFilter(SearchFilter):
    """Every jieba token of `?search=` in the record's search text (tmhub.transfer.search),
    instead of DRF's substring match of each of `search_fields` (kept for the schema)."""

    def filter_queryset(self, request, queryset, view):
        return token_search.search(queryset, request.query_params.get(self.search_param, ""))


TOKEN_SEARCH_BACKENDS = [DjangoFilterBackend, OrderingFilter, TokenSearchFilter]
