"""Base viewsets: every read goes through `restrict`, every write through a service."""

from rest_framework import permissions

from tmhub.core.access import CHANGE, VIEW


class RestrictedViewSetMixin:
    """Querysets restricted for the request's user; objects outside scope are 404."""

    def get_queryset(self):
        action = VIEW if self.request.method in permissions.SAFE_METHODS else CHANGE
        return self.base_queryset().restrict(self.request.user, action)

    def base_queryset(self):
        return self.queryset.all()

