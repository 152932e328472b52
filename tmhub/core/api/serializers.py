"""Request shapes shared by every app's workflow actions (one OpenAPI component each)."""

from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject


class TransitionSerializer(serializers.Serializer):
    """Move a record to `target`; some steps require a `reason`."""

    target = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    """An action that only needs a reason (revocation, withdrawal, …)."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")


class VisibleFieldsMixin:
    """A model serializer that shows each caller only the fields the model's policy lets them
    read (`policies.visible_fields`); a hidden field is absent from the JSON, not blanked.

    A hidden field is skipped before it is read, not rendered and then dropped: its value is
    never computed for a caller who may not see it (and a list of 25 rows renders only what
    its reader sees)."""

    def to_representation(self, instance):
        from tmhub.core import policies

        request = self.context.get("request")
        actor = getattr(request, "user", None)
        guarded = policies.policy_for(instance).all_fields() - policies.visible_fields(
            actor, instance)
        data = {}
        for field in self._readable_fields:
            source = (field.source or field.field_name).split(".")[0]
            if source in guarded or field.field_name in guarded:
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            # As DRF's Serializer.to_representation: a missing relation is null, not rendered.
            value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            data[field.field_name] = None if value is None else field.to_representation(attribute)
        return data
