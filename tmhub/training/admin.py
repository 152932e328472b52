"""Admin: the rules (completion hours, the plan target, continuing education) are edited here;
workflow fields are read-only because they change only through the services."""

from django.contrib import admin

from tmhub.training import models


class CompletionRuleModuleInline(admin.TabularInline):
    model = models.CompletionRuleModule
    extra = 0


@admin.register(models.CompletionRule)
class CompletionRuleAdmin(admin.ModelAdmin):
    list_display = ["level", "required_total_hours", "effective_from", "effective_to"]
    list_filter = ["level"]
    inlines = [CompletionRuleModuleInline]


@admin.register(models.PlanTarget)
class PlanTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "target_count", "deadline", "effective_from"]


@admin.register(models.ContinuingEducationRule)
class ContinuingEducationRuleAdmin(admin.ModelAdmin):
    list_display = ["annual_hours", "effective_from", "effective_to"]


@admin.register(models.TrainingProvider)
class TrainingProviderAdmin(admin.ModelAdmin):
    list_display = ["name_zh", "kind", "organization", "country", "is_active"]
    list_filter = ["kind"]
    search_fields = ["name_zh", "name_en"]


@admin.register(models.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "kind", "level", "provider", "is_published"]
    list_filter = ["kind", "level", "is_published"]


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
    readonly_fields = ["status", "completion_rule"]


@admin.register(models.Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "holder_name", "level", "status", "issued_at"]
    list_filter = ["level", "status"]
    search_fields = ["number", "holder_name"]

    def has_change_permission(self, request, obj=None):
        return False  # issued and revoked only through the services (audited)

    def has_delete_permission(self, request, obj=None):
        return False
