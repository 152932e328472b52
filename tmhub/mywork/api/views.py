"""GET /api/v1/my/items/: the caller's My work list, with the page's filters."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions
from rest_framework.exceptions import ValidationError

from tmhub.core.access import get_scope
from tmhub.mywork import portfolio, receivables, selection
from tmhub.mywork.api.serializers import (
    IPDeadlineSerializer,
    ReceivableSerializer,
    WorkItemSerializer,
)


@extend_schema(parameters=[
    OpenApiParameter("q", OpenApiTypes.STR, description="Words in the title or detail."),
    OpenApiParameter("module", OpenApiTypes.STR, description="One module's items (e.g. talent)."),
    OpenApiParameter("due", OpenApiTypes.STR, enum=["overdue", "7", "30", "90"],
                     description="Overdue only, or due within that many days."),
])
class MyItemsView(generics.ListAPIView):
    """What awaits the caller's action across every module, overdue and soonest first."""

    serializer_class = WorkItemSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        form, items, _counts = selection.select(get_scope(self.request.user),
                                                self.request.query_params)
        if form.is_bound and not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        return items


@extend_schema(parameters=[
    OpenApiParameter("within", OpenApiTypes.INT, enum=[30, 90, 180],
                     description="Deadlines due within that many days (late fees included)."),
    OpenApiParameter("institution", OpenApiTypes.INT, description="One owner institution."),
])
class IPDeadlinesView(generics.ListAPIView):
    """Patent deadlines (annual fees, late-payment periods, term ends) of the IP records the
    caller keeps (those of achievements it may change)."""

    serializer_class = IPDeadlineSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        from django.utils import timezone

        params = self.request.query_params
        within = params.get("within", "180")
        if within not in {"30", "90", "180"}:
            raise ValidationError({"within": [{"message": "30, 90 or 180", "code": "invalid"}]})
        rows = portfolio.records(get_scope(self.request.user))
        if params.get("institution"):
            institution = params["institution"]
            if not institution.isdigit():
                raise ValidationError({"institution": [{"message": "a number",
                                                        "code": "invalid"}]})
            rows = rows.filter(achievement__owner_id=int(institution))
        return [{"record": r, "deadline": d, "amount": a}
                for r, d, a in portfolio.upcoming(rows, timezone.localdate(), int(within))]


@extend_schema(parameters=[
    OpenApiParameter("overdue", OpenApiTypes.BOOL, description="Overdue instalments only."),
])
class ReceivablesView(generics.ListAPIView):
    """Open instalments of the payment schedules of the contracts the caller may read, with
    what the receipts paid (oldest instalment first) and the ageing bucket."""

    serializer_class = ReceivableSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        from django.utils import timezone

        today = timezone.localdate()
        overdue_only = self.request.query_params.get("overdue") in ("1", "true")
        return [{"contract": c, "line": line, "overdue": line.overdue(today),
                 "days_overdue": line.days_overdue(today),
                 "bucket": receivables.bucket_of(line, today)}
                for c, line in receivables.open_lines(get_scope(self.request.user))
                if not overdue_only or line.overdue(today)]
