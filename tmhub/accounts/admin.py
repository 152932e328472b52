from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from tmhub.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "email", "is_active", "is_superuser"]
    fieldsets = DjangoUserAdmin.fieldsets + ((None, {"fields": ["display_name", "phone"]}),)
