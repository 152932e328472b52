"""Admin of the title reference data: levels, directions and the rules in force. Unconfirmed
figures are flagged in the lists ("to be confirmed by 市人社局")."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tmhub.evaluation.models import (
    EligibilityRule,
    Indicator,
    IndicatorSystem,
    PerformanceCondition,
    RatingRound,
    ScoringCriterion,
    TitleDirection,
    TitleLevel,
    TitleProcedureRule,
    TransferCase,
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


# ---------------------------------------------------------------- social evaluation (issue 17)
class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("code", "parent", "kind", "name_zh", "name_en", "weight", "order", "metric_key",
              "curve")

    def _editable(self, obj):
        return obj is None or not obj.is_published

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(IndicatorSystem)
class IndicatorSystemAdmin(admin.ModelAdmin):
    """A published version is frozen: read-only here too (the model refuses a change)."""

    list_display = ("code", "version", "name_zh", "subject_kind", "status", "is_template")
    list_filter = ("subject_kind", "status", "is_template")
    inlines = [IndicatorInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(RatingRound)
class RatingRoundAdmin(admin.ModelAdmin):
    list_display = ("name", "period_start", "period_end", "status", "progress_done",
                    "progress_total")
    list_filter = ("status",)
    readonly_fields = ("status",)


# ---------------------------------------------------------------- the case library (issue 17)
@admin.register(TransferCase)
class TransferCaseAdmin(admin.ModelAdmin):
    """Read here, changed on the case pages (the services audit and the workflow guards)."""

    list_display = ("title_zh", "institution", "status", "published_at")
    list_filter = ("status", "transfer_mode")
    search_fields = ("title_zh", "title_en")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
