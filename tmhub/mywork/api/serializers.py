"""What the My work API answers for one item."""

from django.utils import timezone
from rest_framework import serializers


class WorkItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="The registered kind, e.g. talent.annual_filing.")
    module = serializers.CharField()
    kind_label = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField(help_text="The page where the action is taken.")
    action_label = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    days_left = serializers.SerializerMethodField()
    record_type = serializers.SerializerMethodField()
    record_id = serializers.SerializerMethodField()

    def get_overdue(self, item) -> bool:
        return item.overdue(timezone.localdate())

    def get_days_left(self, item) -> int | None:
        return item.days_left(timezone.localdate())

    def get_record_type(self, item) -> str | None:
        record = item.record
        return getattr(getattr(record, "_meta", None), "label_lower", None)

    def get_record_id(self, item) -> int | None:
        return getattr(item.record, "pk", None)
