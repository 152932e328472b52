"""Admin of the title reference data: levels, directions and the rules in force. Unconfirmed
figures are flagged in the lists ("to be confirmed by 市人社局")."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tmhub.evaluation.models import (
    EligibilityRule,
    PerformanceCondition,
    ScoringCriterion,
    TitleDirection,
    TitleLevel,
    TitleProcedureRule,
)


@admin.display(description=_("To be confirmed by 市人社局"), boolean=True)
def unconfirmed(obj):
    return not obj.confirmed


@admin.register(TitleLevel)
class TitleLevelAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "rank")


@admin.register(TitleDirection)
class TitleDirectionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "sort_order")


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    list_display = ("level", "code", "min_education", "min_years_since_education",
                    "required_title", "min_years_in_title", "effective_from", "effective_to",
                    unconfirmed)
    list_filter = ("level", "confirmed")
    list_select_related = ("level", "required_title")


@admin.register(PerformanceCondition)
class PerformanceConditionAdmin(admin.ModelAdmin):
    list_display = ("level", "direction", "code", "text_zh", "effective_from", unconfirmed)
    list_filter = ("level", "direction", "confirmed")
    list_select_related = ("level", "direction")


@admin.register(TitleProcedureRule)
class TitleProcedureRuleAdmin(admin.ModelAdmin):
    list_display = ("effective_from", "employer_notice_working_days",
                    "result_notice_working_days", "quorum_numerator", "quorum_denominator",
                    "threshold_numerator", "threshold_denominator", unconfirmed)


@admin.register(ScoringCriterion)
class ScoringCriterionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "weight", "max_score", "effective_from", "effective_to",
                    unconfirmed)
    list_filter = ("confirmed",)
