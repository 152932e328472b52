"""Request shapes shared by every app's workflow actions (one OpenAPI component each)."""

from rest_framework import serializers


class TransitionSerializer(serializers.Serializer):
    """Move a record to `target`; some steps require a `reason`."""

    target = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    """An action that only needs a reason (revocation, withdrawal, …)."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")


class VisibleFieldsMixin:
    """A model serializer that shows each caller only the fields the model's policy lets them
    read (`policies.visible_fields`); a hidden field is absent from the JSON, not blanked."""

    def to_representation(self, instance):
        from tmhub.core import policies

        data = super().to_representation(instance)
        request = self.context.get("request")
        actor = getattr(request, "user", None)
        visible = policies.visible_fields(actor, instance)
        guarded = policies.policy_for(instance).all_fields() - visible
        for name, serializer_field in self.fields.items():
            source = (serializer_field.source or name).split(".")[0]
            if source in guarded or name in guarded:
                data.pop(name, None)
        return data
