from django.contrib import admin

from tmhub.core import models


@admin.register(models.District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "sort_order"]


@admin.register(models.IndustryField)
class IndustryFieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "parent", "is_priority"]
    list_filter = ["is_priority"]


@admin.register(models.Discipline)
class DisciplineAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "level"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(models.ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin):
    list_display = ["time", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]

    def has_change_permission(self, request, obj=None):
        return False  # the audit trail is append-only

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.WorkflowEvent)
class WorkflowEventAdmin(admin.ModelAdmin):
    list_display = ["time", "actor", "event_type", "from_state", "to_state"]
    list_filter = ["event_type"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.FourEyesRule)
class FourEyesRuleAdmin(admin.ModelAdmin):
    list_display = ["step", "name", "second_person_required", "effective_from", "effective_to",
                    "confirmed"]
    list_filter = ["step", "second_person_required"]
