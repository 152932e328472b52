"""Administration: reward rules are edited here (rules are data); the rest is read-mostly."""

from django.contrib import admin

from tmhub.core.admin_filters import invalid_phone_filter
from tmhub.transfer.models import (
    Achievement,
    Contract,
    Cost,
    Demand,
    Project,
    ProjectEvidence,
    Receipt,
    RewardRule,
    RewardSplit,
    SplitAllocation,
    StageGate,
)


@admin.register(RewardRule)
class RewardRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "institution", "transfer_mode", "min_team_share",
                    "effective_from", "effective_to", "confirmed", "is_active"]
    list_filter = ["level", "transfer_mode", "confirmed", "is_active"]
    search_fields = ["name", "legal_basis"]


class AllocationInline(admin.TabularInline):
    model = SplitAllocation
    extra = 0
    readonly_fields = ["name", "user", "contribution", "amount_fen", "position"]
    can_delete = False


@admin.register(RewardSplit)
class RewardSplitAdmin(admin.ModelAdmin):
    """Splits change only through the services (approval freezes them)."""

    list_display = ["__str__", "institution", "transfer_mode", "income_date", "amount_fen",
                    "status"]
    list_filter = ["status", "transfer_mode"]
    inlines = [AllocationInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "status", "trl", "published_at"]
    list_filter = ["status", "transfer_mode"]
    search_fields = ["title", "keywords"]
    readonly_fields = ["status", "published_at", "disclosure_number"]


@admin.register(Demand)
class DemandAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "status", "deadline"]
    list_filter = ["status", invalid_phone_filter("contact_phone")]
    search_fields = ["title"]
    readonly_fields = ["status", "published_at"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "institution", "stage", "updated_at"]
    list_filter = ["stage"]
    search_fields = ["title"]
    readonly_fields = ["stage", "version"]


class MoneyInline(admin.TabularInline):
    """Receipts and costs, read-only: a correction is a reversing entry made on the contract
    page (through the services), never an edit or a deletion here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReceiptInline(MoneyInline):
    model = Receipt
    fk_name = "contract"


class CostInline(MoneyInline):
    model = Cost
    fk_name = "contract"


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "kind", "institution", "amount_fen", "signed_on"]
    list_filter = ["kind"]
    search_fields = ["number", "title", "registration_number"]
    inlines = [ReceiptInline, CostInline]


# ---- stage gates (rules as data) and the evidence recorded against them
@admin.register(StageGate)
class StageGateAdmin(admin.ModelAdmin):
    """Which evidence opens which stage, with its effective period and legal basis: a change
    is a new row from its start date."""

    list_display = ["stage", "evidence_kind", "effective_from", "effective_to", "confirmed"]
    list_filter = ["stage", "evidence_kind", "confirmed"]
    search_fields = ["legal_basis"]


@admin.register(ProjectEvidence)
class ProjectEvidenceAdmin(admin.ModelAdmin):
    """Evidence is recorded on the project page (through the services); read-only here."""

    list_display = ["project", "kind", "title", "occurred_on", "recorded_by", "recorded_at"]
    list_filter = ["kind"]
    search_fields = ["title", "party", "project__title"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
