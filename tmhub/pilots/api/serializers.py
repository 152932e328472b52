"""The pilots' API shapes."""

from rest_framework import serializers

from tmhub.pilots.models import Assignment, Pilot, PilotKpi, StageReport


class PilotSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name_zh", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)

    class Meta:
        model = Pilot
        fields = ["id", "code", "title", "programme", "programme_name", "institution",
                  "institution_name", "principal_investigator", "budget_fen", "starts_on",
                  "ends_on", "field", "district", "selection_reason", "selected_on", "stage",
                  "stage_label", "overall_attainment", "result", "closed_on", "contracts"]
        read_only_fields = fields


class PilotKpiSerializer(serializers.ModelSerializer):
    kpi_type_code = serializers.CharField(source="kpi_type.code", read_only=True)
    kpi_type_name = serializers.CharField(source="kpi_type.name_zh", read_only=True)
    unit = serializers.CharField(source="kpi_type.unit_zh", read_only=True)
    actual = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True,
                                      allow_null=True)
    current_attainment = serializers.DecimalField(max_digits=7, decimal_places=1,
                                                  read_only=True)

    class Meta:
        model = PilotKpi
        fields = ["id", "kpi_type", "kpi_type_code", "kpi_type_name", "unit", "target",
                  "due_on", "weight", "reported_value", "evidence", "reported_on", "actual",
                  "current_attainment", "final_value", "attainment"]
        read_only_fields = fields


class PilotAssignmentSerializer(serializers.ModelSerializer):
    manager_name = serializers.CharField(source="manager.__str__", read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "manager", "manager_name", "mode", "assigned_on", "ended_on",
                  "end_reason", "replaced_by"]
        read_only_fields = fields


class StageReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageReport
        fields = ["id", "stage", "author", "done", "risks", "next_steps", "kpi_progress",
                  "status", "submitted_on"]
        read_only_fields = fields
