"""GET /api/v1/my/items/: the caller's My work list, with the page's filters."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions
from rest_framework.exceptions import ValidationError

from tmhub.core.access import get_scope
from tmhub.mywork import selection
from tmhub.mywork.api.serializers import WorkItemSerializer


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
