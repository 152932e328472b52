"""Writable references that see only what the caller may see (forbidden looks missing).

A plain `PrimaryKeyRelatedField` over `Model.objects.all()` accepts any id, so a view that then
checks access answers 404 for a hidden row but 400 `does_not_exist` for a missing one, and ids
can be enumerated. `RestrictedPrimaryKeyRelatedField` looks the id up in
`Model.objects.restrict(user, action)` instead: a hidden id and a missing id get the very same
400 `does_not_exist` (the body differs only in the id it repeats).
"""

from rest_framework import serializers

from tmhub.core.access import VIEW


class RestrictedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary-key reference limited to the rows the request's user may `action`.

    The model's manager must be a `RestrictedQuerySet` (the model defines `scope_q`). Without a
    request in the serializer context the caller is treated as anonymous (fails closed).
    """

    def __init__(self, *, action: str = VIEW, **kwargs):
        self.action = action
        super().__init__(**kwargs)

    def user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_queryset(self):
        return self.limit(super().get_queryset())

    def limit(self, queryset):
        """Rows the caller may reference; subclasses narrow it further."""
        return queryset.restrict(self.user(), self.action)
