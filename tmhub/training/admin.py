"""Admin: the rules (completion hours, the plan target, continuing education) are edited here;
workflow fields are read-only because they change only through the services."""

from django.contrib import admin

from tmhub.training import models


class CompletionRuleModuleInline(admin.TabularInline):
    model = models.CompletionRuleModule
    extra = 0


@admin.register(models.CompletionRule)
class CompletionRuleAdmin(admin.ModelAdmin):
    list_display = ["level", "required_total_hours", "effective_from", "effective_to",
                    "confirmed"]
    list_filter = ["level", "confirmed"]
    inlines = [CompletionRuleModuleInline]


@admin.register(models.PlanTarget)
class PlanTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "target_count", "deadline", "effective_from", "confirmed"]


@admin.register(models.ContinuingEducationRule)
class ContinuingEducationRuleAdmin(admin.ModelAdmin):
    list_display = ["annual_hours", "effective_from", "effective_to", "confirmed"]


@admin.register(models.TrainingProvider)
class TrainingProviderAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "kind", "organization", "country", "is_active"]
    list_filter = ["kind"]
    search_fields = ["name_zh", "name_en"]


@admin.register(models.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "kind", "level", "provider", "is_published"]
    list_filter = ["kind", "level", "is_published"]

    def get_readonly_fields(self, request, obj=None):
        # Once cohorts exist the level is changed only through the service, which moves the
        # dashboard's per-level totals with it.
        if obj is not None and obj.cohorts.exists():
            return ["level"]
        return []


@admin.register(models.Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "programme", "module", "hours"]
    list_filter = ["module"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(models.Instructor)
class InstructorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "provider", "organization_name", "is_active"]
    list_filter = ["kind"]


@admin.register(models.Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "status", "start_date", "end_date", "capacity"]
    list_filter = ["status"]

    def get_readonly_fields(self, request, obj=None):
        # the programme decides the level its enrolments count under on the dashboard
        return ["status", "completion_rule"] + (["programme"] if obj is not None else [])


@admin.register(models.Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "holder_name", "level", "status", "issued_at"]
    list_filter = ["level", "status"]
    search_fields = ["number", "holder_name"]

    def has_change_permission(self, request, obj=None):
        return False  # issued and revoked only through the services (audited)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.ExternalHours)
class ExternalHoursAdmin(admin.ModelAdmin):
    list_display = ["trainee", "date", "title", "organiser", "hours", "organization"]
    list_filter = ["date"]
    search_fields = ["title", "organiser", "trainee__username", "trainee__display_name"]
    raw_id_fields = ["trainee", "recorded_by"]
    date_hierarchy = "date"


@admin.register(models.DashboardFigure)
class DashboardFigureAdmin(admin.ModelAdmin):
    """Read-only: the services keep these totals (`manage.py shell` → figures.rebuild())."""

    list_display = ["metric", "district", "kind", "employer", "route", "key", "value"]
    list_filter = ["metric"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
