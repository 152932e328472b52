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


class IPDeadlineSerializer(serializers.Serializer):
    ip_record = serializers.IntegerField(source="record.pk")
    number = serializers.CharField(source="record.number")
    ip_type = serializers.CharField(source="record.ip_type")
    achievement = serializers.IntegerField(source="record.achievement_id")
    institution = serializers.IntegerField(source="record.achievement.owner_id")
    kind = serializers.ChoiceField(choices=["fee", "late_fee", "term_end"],
                                   source="deadline.kind")
    due_on = serializers.DateField(source="deadline.due_on")
    patent_year = serializers.IntegerField(source="deadline.year", allow_null=True)
    late_until = serializers.DateField(source="deadline.late_until", allow_null=True)
    surcharge_percent = serializers.IntegerField(source="deadline.surcharge_percent")
    fee_fen = serializers.IntegerField(source="amount", allow_null=True)


class ReceivableSerializer(serializers.Serializer):
    installment = serializers.IntegerField(source="line.installment.pk")
    contract = serializers.IntegerField(source="contract.pk")
    contract_number = serializers.CharField(source="contract.number")
    institution = serializers.IntegerField(source="contract.institution_id")
    due_on = serializers.DateField(source="line.due_on")
    amount_fen = serializers.IntegerField(source="line.amount_fen")
    paid_fen = serializers.IntegerField(source="line.paid_fen")
    balance_fen = serializers.IntegerField(source="line.balance_fen")
    overdue = serializers.BooleanField()
    days_overdue = serializers.IntegerField()
    bucket = serializers.CharField()
