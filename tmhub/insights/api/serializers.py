"""Plans with their targets and tasks nested; the departments named as the plan names them."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tmhub.insights.choices import PLAN_NAMES
from tmhub.insights.figures import target_progress
from tmhub.insights.models import (
    AgendaItem,
    FollowUpAction,
    Meeting,
    Plan,
    PlanTarget,
    PlanTask,
    SupportPolicy,
    TaskDepartment,
    TaskReport,
)


class TaskDepartmentSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="department", read_only=True)
    name = serializers.CharField(source="plan_name", read_only=True,
                                 help_text="The department's name exactly as the plan writes it.")

    class Meta:
        model = TaskDepartment
        fields = ["code", "name", "role", "position"]


class PlanTaskSerializer(serializers.ModelSerializer):
    departments = serializers.SerializerMethodField()

    class Meta:
        model = PlanTask
        fields = ["id", "number", "kind", "title", "title_en", "text", "departments"]

    @extend_schema_field(TaskDepartmentSerializer(many=True))
    def get_departments(self, task):
        rows = sorted(task.departments.all(), key=lambda d: d.position)
        return TaskDepartmentSerializer(rows, many=True).data


class PlanTargetSerializer(serializers.ModelSerializer):
    value = serializers.SerializerMethodField()
    as_of = serializers.SerializerMethodField()

    class Meta:
        model = PlanTarget
        fields = ["label", "label_en", "metric_key", "aggregation", "target_value", "due_on",
                  "basis", "value", "as_of"]

    def _progress(self, target):
        cache = self.context.setdefault("_progress", {})
        if target.pk not in cache:
            cache[target.pk] = target_progress(target, timezone.localdate())
        return cache[target.pk]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_value(self, target):
        return self._progress(target)["value"]

    @extend_schema_field(serializers.DateField())
    def get_as_of(self, target):
        return self._progress(target)["as_of"]


class PlanSerializer(serializers.ModelSerializer):
    tasks = PlanTaskSerializer(many=True, read_only=True)
    targets = PlanTargetSerializer(many=True, read_only=True)
    closed = serializers.SerializerMethodField()
    predecessor = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "number", "title", "title_en", "issuers", "issued_on", "start", "end",
                  "closed", "predecessor", "targets", "tasks"]

    @extend_schema_field(serializers.BooleanField())
    def get_closed(self, plan):
        return plan.is_closed()


class TaskReportSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="plan_name", read_only=True)
    task_number = serializers.IntegerField(source="task.number", read_only=True)
    plan = serializers.IntegerField(source="task.plan_id", read_only=True)

    class Meta:
        model = TaskReport
        fields = ["id", "plan", "task", "task_number", "department", "department_name",
                  "period_start", "period_end", "status", "narrative", "measures", "figures",
                  "figures_as_of", "submitted_at", "review_note"]
        read_only_fields = fields


class SupportPolicySerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                            help_text="The district's code; null for the city.")
    reward_rules = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    title_rules = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    # A policy without a link answers null (its empty text is not a URI the schema promises).
    link = serializers.SerializerMethodField()

    class Meta:
        model = SupportPolicy
        fields = ["id", "title", "title_en", "issuer", "number", "issued_on", "level",
                  "district", "summary", "summary_en", "full_text", "link", "status",
                  "is_example", "reward_rules", "title_rules", "published_at"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_link(self, policy) -> str | None:
        return policy.link or None


class AgendaItemSerializer(serializers.ModelSerializer):
    task_number = serializers.IntegerField(source="task.number", read_only=True,
                                           allow_null=True, default=None)

    class Meta:
        model = AgendaItem
        fields = ["order", "task", "task_number", "subject", "decision"]
        read_only_fields = fields


class FollowUpActionSerializer(serializers.ModelSerializer):
    owner_name = serializers.SerializerMethodField(
        help_text="The owning department's name exactly as the plan writes it.")

    class Meta:
        model = FollowUpAction
        fields = ["id", "agenda_item", "task", "text", "owner", "owner_name", "due_on",
                  "done_on", "done_note"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_owner_name(self, action):
        return PLAN_NAMES.get(action.owner, action.owner)


class MeetingSerializer(serializers.ModelSerializer):
    agenda = AgendaItemSerializer(many=True, read_only=True)
    actions = FollowUpActionSerializer(many=True, read_only=True)
    department_names = serializers.SerializerMethodField(
        help_text="The attending departments' names as the plan writes them, in its order.")

    class Meta:
        model = Meeting
        fields = ["id", "plan", "held_on", "title", "departments", "department_names", "notes",
                  "agenda", "actions"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_department_names(self, meeting):
        return [PLAN_NAMES.get(code, code) for code in meeting.departments]
