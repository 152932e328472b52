"""Network endpoints: the public directory, with the pages' filters and scopes."""

from rest_framework import permissions, viewsets

from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.network.api.serializers import ProviderSerializer
from tmhub.network.filters import DirectoryFilter
from tmhub.network.views import DirectoryView


class ProviderViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Providers with at least one public service (`?service=&field=&district=&financing=`,
    codes), each with its public services."""

    serializer_class = ProviderSerializer
    filterset_class = DirectoryFilter
    permission_classes = [permissions.AllowAny]

    def base_queryset(self):
        return DirectoryView.base_queryset(None)
