"""API shapes of the transfer chain. A caller reads only the fields the record's policy lets
them see (`VisibleFieldsMixin`): inventors and internal terms for insiders, a demand's contact
for those who may contact the enterprise."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from tmhub.accounts.models import User
from tmhub.core.access import CHANGE
from tmhub.core.api.fields import RestrictedPrimaryKeyRelatedField
from tmhub.core.api.serializers import (
    ReasonSerializer,  # noqa: F401 (re-exported)
    VisibleFieldsMixin,
)
from tmhub.core.api.serializers import TransitionSerializer as CoreTransitionSerializer
from tmhub.core.models import Discipline, IndustryField
from tmhub.orgs.models import Organization
from tmhub.transfer.api.evidence import GatedListSerializer, GatesField
from tmhub.transfer.api.money import (  # noqa: F401 (ReceiptSerializer re-exported)
    ContractMoneyFields,
    ReceiptSerializer,
)
from tmhub.transfer.choices import PartyRole
from tmhub.transfer.models import (
    Achievement,
    Activity,
    Contract,
    Demand,
    Project,
    RewardSplit,
)
from tmhub.transfer.policies import AchievementPolicy, DemandPolicy


class InventorSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    affiliation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    share = serializers.DecimalField(max_digits=5, decimal_places=2)


class IPRecordSerializer(serializers.Serializer):
    ip_type = serializers.CharField(read_only=True)
    number = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    filed_on = serializers.DateField(read_only=True, allow_null=True)
    granted_on = serializers.DateField(read_only=True, allow_null=True)


class AchievementSerializer(VisibleFieldsMixin, serializers.ModelSerializer):
    # What the policy may hide from a caller (so optional in the schema).
    PRIVATE_FIELDS = sorted(AchievementPolicy.guarded_fields)
    field = serializers.SlugRelatedField(slug_field="code", queryset=IndustryField.objects.all(),
                                         required=False, allow_null=True)
    discipline = serializers.SlugRelatedField(slug_field="code",
                                              queryset=Discipline.objects.all(),
                                              required=False, allow_null=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    inventors = InventorSerializer(many=True, required=False)
    ip_records = IPRecordSerializer(many=True, read_only=True)

    class Meta:
        model = Achievement
        fields = ["id", "title", "abstract", "keywords", "field", "discipline", "trl", "owner",
                  "owner_name", "transfer_mode", "status", "published_at", "disclosure_number",
                  "disclosed_on", "asking_terms", "asking_price_fen", "publish_asking_terms",
                  "inventors", "ip_records"]
        read_only_fields = ["id", "status", "published_at", "disclosure_number"]


class DemandSerializer(VisibleFieldsMixin, serializers.ModelSerializer):
    PRIVATE_FIELDS = sorted(DemandPolicy.guarded_fields)  # the contact (can_view_contact)
    field = serializers.SlugRelatedField(slug_field="code", queryset=IndustryField.objects.all(),
                                         required=False, allow_null=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Demand
        fields = ["id", "title", "problem", "expected_outcome", "keywords", "field",
                  "organization", "organization_name", "district", "budget_min_fen",
                  "budget_max_fen", "deadline", "status", "published_at", "contact_name",
                  "contact_phone", "contact_email"]
        read_only_fields = ["id", "status", "published_at"]


class AssignmentSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    name = serializers.CharField(source="user.__str__", read_only=True)
    role = serializers.CharField(read_only=True)
    assigned_on = serializers.DateField(read_only=True)
    released_on = serializers.DateField(read_only=True, allow_null=True)


class ProjectSerializer(serializers.ModelSerializer):
    managers = AssignmentSerializer(source="assignments", many=True, read_only=True)
    # Only records the caller may see can be linked: a hidden one reads as missing.
    achievements = RestrictedPrimaryKeyRelatedField(
        many=True, queryset=Achievement.objects.all(), required=False)
    demands = RestrictedPrimaryKeyRelatedField(
        many=True, queryset=Demand.objects.all(), required=False)
    version = serializers.IntegerField(required=False)
    gates = GatesField()  # each gated stage: the evidence that opens it, what is still missing

    class Meta:
        model = Project
        fields = ["id", "title", "description", "institution", "stage", "stage_changed_at",
                  "field", "started_on", "landed_on", "achievements", "demands", "partners",
                  "managers", "version", "gates"]
        read_only_fields = ["id", "stage", "stage_changed_at", "landed_on"]
        list_serializer_class = GatedListSerializer
        extra_kwargs = {"achievements": {"required": False}, "demands": {"required": False},
                        "partners": {"required": False}}


@extend_schema_serializer(component_name="ProjectTransition")
class TransitionSerializer(CoreTransitionSerializer):
    """A stage move; `version` guards against a stale page overwriting a newer move."""

    version = serializers.IntegerField(required=False, allow_null=True, default=None)
    # The municipal override: past a stage gate whose evidence is missing (reason required).
    override = serializers.BooleanField(required=False, default=False)


class ProjectManagerField(serializers.PrimaryKeyRelatedField):
    """A manager currently on the project in the serializer context: anyone else reads like
    a missing user (no way to probe which user ids exist)."""

    def get_queryset(self):
        project = self.context.get("project")
        if project is None:
            return User.objects.none()
        return User.objects.filter(transfer_assignments__project=project,
                                   transfer_assignments__released_on__isnull=True)


class ActivitySerializer(serializers.ModelSerializer):
    manager = ProjectManagerField(queryset=User.objects.all(), required=False)

    class Meta:
        model = Activity
        fields = ["id", "kind", "occurred_at", "manager", "summary", "details", "counterpart",
                  "counterpart_person", "recorded_at"]
        read_only_fields = ["id", "recorded_at"]
        extra_kwargs = {"manager": {"required": False}, "occurred_at": {"required": False}}


class PartySerializer(serializers.Serializer):
    organization = RestrictedPrimaryKeyRelatedField(queryset=Organization.objects.all())
    role = serializers.ChoiceField(choices=PartyRole.choices)


class ContractSerializer(ContractMoneyFields, serializers.ModelSerializer):
    parties = serializers.SerializerMethodField()
    received_fen = serializers.SerializerMethodField()
    net_income_fen = serializers.SerializerMethodField()
    party_list = PartySerializer(many=True, write_only=True, required=False)
    project = RestrictedPrimaryKeyRelatedField(
        action=CHANGE, queryset=Project.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Contract
        fields = ["id", "number", "title", "kind", "institution", "project", "amount_fen",
                  "currency", "signed_on", "term_start", "term_end", "registration_number",
                  "registered_on", "parties", "party_list", "received_fen", "net_income_fen",
                  *ContractMoneyFields.MONEY_FIELDS]
        read_only_fields = ["id", "number"]
        extra_kwargs = {"amount_fen": {"required": False}}  # or `amount`, in yuan

    def get_parties(self, obj) -> list[dict]:
        return [{"organization": p.organization_id, "name": p.organization.name,
                 "role": p.role} for p in obj.parties.all()]

    def get_received_fen(self, obj) -> int:
        return sum(r.amount_fen for r in obj.receipts.all())  # prefetched (MONEY_PREFETCH)

    def get_net_income_fen(self, obj) -> int:
        return max(self.get_received_fen(obj) - self.get_costs_fen(obj), 0)


class AllocationSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    contribution = serializers.DecimalField(max_digits=5, decimal_places=2)
    amount_fen = serializers.IntegerField(read_only=True)


class RewardSplitSerializer(serializers.ModelSerializer):
    allocations = AllocationSerializer(many=True)
    # A contract the caller may not change reads exactly like a missing one (400).
    contract = RestrictedPrimaryKeyRelatedField(action=CHANGE, queryset=Contract.objects.all())
    team_share = serializers.DecimalField(max_digits=5, decimal_places=2, required=False,
                                          min_value=Decimal(0), max_value=Decimal(100))
    office_share = serializers.DecimalField(max_digits=5, decimal_places=2, required=False,
                                            min_value=Decimal(0), max_value=Decimal(100))
    institution_share = serializers.DecimalField(max_digits=5, decimal_places=2,
                                                 required=False, min_value=Decimal(0),
                                                 max_value=Decimal(100))

    class Meta:
        model = RewardSplit
        fields = ["id", "number", "institution", "contract", "project", "transfer_mode",
                  "income_date", "amount_fen", "profit_year", "rule", "rule_snapshot",
                  "team_share", "office_share", "institution_share", "team_fen", "office_fen",
                  "institution_fen", "status", "approved_at", "allocations"]
        read_only_fields = ["id", "number", "institution", "project", "rule", "rule_snapshot",
                            "team_fen", "office_fen", "institution_fen", "status",
                            "approved_at"]
        extra_kwargs = {"transfer_mode": {"required": False}}
