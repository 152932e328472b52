from django.contrib import admin

from tmhub.core.admin_filters import invalid_phone_filter
from tmhub.orgs.models import InstitutionRegistration, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "district", "credit_code", "has_transfer_office"]
    list_filter = ["kind", "district", "has_transfer_office",
                   invalid_phone_filter("contact_phone")]
    search_fields = ["name", "name_en", "credit_code"]


@admin.register(InstitutionRegistration)
class InstitutionRegistrationAdmin(admin.ModelAdmin):
    list_display = ["organization", "status", "registry_number", "submitted_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "registry_number"]  # status changes only through the workflow
