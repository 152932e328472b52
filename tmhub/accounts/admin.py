from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from tmhub.accounts import tokens
from tmhub.accounts.models import ApiToken, Membership, User
from tmhub.core.admin_filters import invalid_phone_filter


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "email", "is_active", "is_superuser"]
    list_filter = (*DjangoUserAdmin.list_filter, invalid_phone_filter("phone"))
    fieldsets = DjangoUserAdmin.fieldsets + ((None, {"fields": ["display_name", "phone"]}),)

    def save_model(self, request, obj, form, change):
        obj._changed_by = request.user  # the actor of a token rotation this save causes
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by their owners; here they are only seen and revoked (audited)."""

    list_display = ["prefix", "name", "user", "created", "expiry", "last_used_at"]
    search_fields = ["user__username", "name", "token_key"]
    list_select_related = ["user"]
    fields = ["user", "name", "token_key", "created", "expiry", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        tokens.revoke_token(obj, actor=request.user, reason="admin")

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            tokens.revoke_token(token, actor=request.user, reason="admin")
