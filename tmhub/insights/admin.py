"""The task status rule is data the city sets per plan (defaults apply where none is set)."""

from django.contrib import admin

from tmhub.insights.models import StatusRule


@admin.register(StatusRule)
class StatusRuleAdmin(admin.ModelAdmin):
    list_display = ["plan", "late_overdue_reports", "late_overdue_actions",
                    "at_risk_when_returned", "at_risk_action_days"]
