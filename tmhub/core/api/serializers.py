"""Request shapes shared by every app's workflow actions (one OpenAPI component each)."""

from rest_framework import serializers


class TransitionSerializer(serializers.Serializer):
    """Move a record to `target`; some steps require a `reason`."""

    target = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    """An action that only needs a reason (revocation, withdrawal, …)."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")
