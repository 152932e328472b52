"""The API of a contract's money: receipts and deductible costs are recorded and reversed,
never edited or deleted (no PUT, PATCH or DELETE route exists for them).

Money is given in yuan with two decimals (`amount`, a decimal string such as "1234.56") or, as
before, in fen (`amount_fen`, an integer); it is stored and answered in both."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from tmhub.core import policies
from tmhub.core.access import CHANGE, get_scope
from tmhub.core.roles import Role
from tmhub.transfer import services
from tmhub.transfer.choices import CostCategory
from tmhub.transfer.models import Cost, Receipt
from tmhub.transfer.models.contracts import CONFIRMABLE_OVER_AMOUNT
from tmhub.transfer.models.scoping import active_project_ids
from tmhub.transfer.rewards_engine import MAX_AMOUNT_FEN

CENT = Decimal("0.01")
# Yuan as a decimal string with exactly two decimals ("1234.56"; reversals are negative).
YUAN_SCHEMA = {
    "type": "string",
    "format": "decimal",
    "pattern": r"^-?[0-9]{1,16}\.[0-9]{2}$",
    "example": "1234.56",
}


def fen_as_yuan(fen) -> str | None:
    """12345 → "123.45" (exact, no thousands separator: a machine-readable decimal)."""
    if fen is None:
        return None
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{yuan}.{cents:02d}"


@extend_schema_field(YUAN_SCHEMA)
class YuanField(serializers.Field):
    """An amount in yuan with at most two decimals, read and written as a decimal string;
    the serializer works with fen (its `source`, an integer)."""

    default_error_messages = {
        "invalid": gettext_lazy("Enter an amount in yuan, such as 1234.56."),
        "max_decimal_places": gettext_lazy("Enter at most two decimals (fen)."),
        "min_value": gettext_lazy("Enter an amount above zero."),
        "max_value": gettext_lazy("The amount is too large."),
    }

    def __init__(self, *, min_fen=1, **kwargs):
        self.min_fen = min_fen
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int | float | Decimal):
            self.fail("invalid")
        try:
            value = Decimal(str(data).strip())
        except (InvalidOperation, ValueError):
            self.fail("invalid")
        if not value.is_finite():
            self.fail("invalid")
        if abs(value) > Decimal(MAX_AMOUNT_FEN) / 100:
            self.fail("max_value")
        if value != value.quantize(CENT, rounding=ROUND_DOWN):
            self.fail("max_decimal_places")
        fen = int(value * 100)
        if fen < self.min_fen:
            self.fail("min_value")
        return fen

    def to_representation(self, value):
        return fen_as_yuan(value)


def _both_given(serializer, attrs) -> None:
    """`amount` and `amount_fen` both sent: refused unless they say the same."""
    data = getattr(serializer, "initial_data", None) or {}
    if "amount" in data and "amount_fen" in data:
        try:
            same = YuanField(min_fen=0).to_internal_value(data["amount"]) == int(data["amount_fen"])
        except (serializers.ValidationError, TypeError, ValueError):
            same = False
        if not same:
            raise serializers.ValidationError(
                {
                    "amount": [
                        serializers.ErrorDetail(
                            _("Give the amount once: in yuan (amount) or in fen (amount_fen)."),
                            code="ambiguous_amount",
                        )
                    ]
                }
            )


def _required_amount():
    return serializers.ValidationError(
        {"amount": [serializers.ErrorDetail(_("This field is required."), code="required")]}
    )


class _AmountInput(serializers.Serializer):
    """`amount` (yuan) or `amount_fen` (fen): exactly one of them."""

    amount = YuanField(
        source="amount_fen", required=False, help_text="Amount in yuan, two decimals at most."
    )
    amount_fen = serializers.IntegerField(
        min_value=1,
        max_value=MAX_AMOUNT_FEN,
        required=False,
        help_text="Amount in fen (alternative to amount).",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        _both_given(self, attrs)
        if "amount_fen" not in attrs:
            raise _required_amount()
        return attrs


class ReceiptSerializer(_AmountInput):
    received_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    confirm_over_amount = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Needed when the receipt takes the total received above the contract amount.",
    )
    over_amount = serializers.ChoiceField(
        choices=[(k.value, k.label) for k in CONFIRMABLE_OVER_AMOUNT],
        required=False,
        allow_blank=True,
        default="",
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="Why the total may exceed the contract amount.",
    )


class CostSerializer(_AmountInput):
    incurred_on = serializers.DateField()
    category = serializers.ChoiceField(choices=CostCategory.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class ReversalSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why the entry is reversed.")


class MoneyEntrySerializer(serializers.Serializer):
    """A receipt or a cost as recorded: reversals are negative and name what they reverse."""

    id = serializers.IntegerField()
    date = serializers.DateField()
    amount_fen = serializers.IntegerField()
    amount = YuanField(source="amount_fen")
    note = serializers.CharField()
    recorded_by = serializers.CharField(source="recorded_by.username", default=None,
                                        allow_null=True)
    recorded_at = serializers.DateTimeField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
    reversed_by = serializers.SerializerMethodField()
    reason = serializers.CharField()

    def get_reversed_by(self, obj) -> int | None:
        reversal = obj.reversed_by
        return reversal.pk if reversal else None


class ReceiptEntrySerializer(MoneyEntrySerializer):
    over_amount = serializers.CharField()


class CostEntrySerializer(MoneyEntrySerializer):
    category = serializers.CharField()


# Prefetched by the contract endpoints, so the money of a page of contracts costs no query
# per contract.
MONEY_PREFETCH = (
    "receipts__recorded_by",
    "receipts__reversal",
    "costs__recorded_by",
    "costs__reversal",
)


class ContractMoneyFields(serializers.Serializer):
    """The money of a contract in its API shape: the amount in yuan too (written as yuan or
    fen), totals after reversals, the over-amount flag and every receipt and cost."""

    amount = YuanField(
        source="amount_fen",
        min_fen=0,
        required=False,
        help_text="Contract amount in yuan (alternative to amount_fen).",
    )
    costs_fen = serializers.SerializerMethodField()
    received = serializers.SerializerMethodField()
    net_income = serializers.SerializerMethodField()
    over_amount = serializers.SerializerMethodField()
    receipts = serializers.SerializerMethodField()
    costs = serializers.SerializerMethodField()

    MONEY_FIELDS = [
        "amount",
        "costs_fen",
        "received",
        "net_income",
        "over_amount",
        "receipts",
        "costs",
    ]

    def get_costs_fen(self, obj) -> int:
        return sum(c.amount_fen for c in obj.costs.all())

    @extend_schema_field(YUAN_SCHEMA)
    def get_received(self, obj):
        return fen_as_yuan(sum(r.amount_fen for r in obj.receipts.all()))

    @extend_schema_field(YUAN_SCHEMA)
    def get_net_income(self, obj):
        received = sum(r.amount_fen for r in obj.receipts.all())
        return fen_as_yuan(max(received - self.get_costs_fen(obj), 0))

    def get_over_amount(self, obj) -> bool:
        """A receipt (not reversed) took the total received above the contract amount."""
        return any(
            r.over_amount and not r.is_reversal and r.reversed_by is None
            for r in obj.receipts.all()
        )

    def _insider(self, obj) -> bool:
        """Who recorded an entry and why are shown to those who keep the contract's money
        (its institution, its project's active managers, the city); the other parties see
        the entries and their amounts. The caller's active projects are read once per
        answer, however many contracts it lists."""
        cache = self.root.context.setdefault("_money_insider", {})
        if "projects" not in cache:
            request = self.root.context.get("request")
            scope = get_scope(request.user if request else None)
            cache["scope"] = scope
            cache["projects"] = (
                set(active_project_ids(scope).values_list("project_id", flat=True))
                if scope.is_authenticated
                else set()
            )
        scope = cache["scope"]
        return (
            scope.is_municipal
            or obj.institution_id in scope.orgs(Role.INSTITUTION_ADMIN)
            or obj.project_id in cache["projects"]
        )

    def _entries(self, serializer_class, obj, rows):
        data = serializer_class(rows, many=True).data
        if not self._insider(obj):
            for row in data:
                row["recorded_by"] = None
                row["reason"] = ""
        return data

    @extend_schema_field(ReceiptEntrySerializer(many=True))
    def get_receipts(self, obj):
        return self._entries(ReceiptEntrySerializer, obj, obj.receipts.all())

    @extend_schema_field(CostEntrySerializer(many=True))
    def get_costs(self, obj):
        return self._entries(CostEntrySerializer, obj, obj.costs.all())

    def validate(self, attrs):
        attrs = super().validate(attrs)
        _both_given(self, attrs)
        if self.instance is None and "amount_fen" not in attrs:
            raise _required_amount()
        return attrs


def _forbidden():
    return ValidationError(_("You are not allowed to take this step."), code="transition_forbidden")


def money_schema(contract_serializer):
    """The schema of the money actions, which answer with the contract (`contract_serializer`)."""
    answer = {201: contract_serializer}
    return extend_schema_view(
        receipts=extend_schema(request=ReceiptSerializer, responses=answer),
        costs=extend_schema(request=CostSerializer, responses=answer),
        reverse_receipt=extend_schema(request=ReversalSerializer, responses=answer),
        reverse_cost=extend_schema(request=ReversalSerializer, responses=answer),
    )


class ContractMoneyActions:
    """Actions of the contract viewset: record receipts and costs, reverse either. There is
    no route that edits or deletes a receipt or a cost."""

    def _changeable(self, request):
        contract = self.visible_object()
        if not policies.allows(request.user, CHANGE, contract):
            raise _forbidden()
        return contract

    def _answer(self, contract):
        fresh = (
            self.get_queryset()
            .model.objects.prefetch_related("parties__organization", *MONEY_PREFETCH)
            .get(pk=contract.pk)
        )
        return Response(self.get_serializer(fresh).data, status=201)

    @action(detail=True, methods=["post"])
    def receipts(self, request, pk=None):
        """Record a receipt; above the contract amount it needs `confirm_over_amount`,
        `over_amount` (overpayment / amendment) and `reason`, and is flagged."""
        contract = self._changeable(request)
        payload = ReceiptSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.record_receipt(contract, actor=request.user, **payload.validated_data)
        return self._answer(contract)

    @action(detail=True, methods=["post"])
    def costs(self, request, pk=None):
        """Record a deductible cost."""
        contract = self._changeable(request)
        payload = CostSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.record_cost(contract, actor=request.user, **payload.validated_data)
        return self._answer(contract)

    def _reverse(self, request, model, entry_pk, func):
        contract = self.visible_object()
        entry = model.objects.filter(contract=contract, pk=entry_pk).first()
        if entry is None:
            raise Http404
        payload = ReversalSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        func(entry, actor=request.user, reason=payload.validated_data["reason"])
        return self._answer(contract)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"receipts/(?P<entry_pk>[0-9]{1,18})/reverse",
        url_name="receipt-reverse",
    )
    def reverse_receipt(self, request, pk=None, entry_pk=None):
        """Reverse a receipt (the institution's administrators, with a reason)."""
        return self._reverse(request, Receipt, entry_pk, services.reverse_receipt)

    @action(
        detail=True,
        methods=["post"],
        url_path=r"costs/(?P<entry_pk>[0-9]{1,18})/reverse",
        url_name="cost-reverse",
    )
    def reverse_cost(self, request, pk=None, entry_pk=None):
        """Reverse a deductible cost (the institution's administrators, with a reason)."""
        return self._reverse(request, Cost, entry_pk, services.reverse_cost)
