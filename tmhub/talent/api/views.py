"""/api/v1/managers/ and /api/v1/registrations/: same scopes as the web UI."""

from django.http import FileResponse, Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from tmhub.core import policies
from tmhub.core.api.pagination import CachedResultPagination
from tmhub.core.api.viewsets import RestrictedViewSetMixin
from tmhub.talent import documents as docs
from tmhub.talent import personal_data
from tmhub.talent import registration as reg
from tmhub.talent.api.serializers import (
    DocumentSerializer,
    DocumentUploadSerializer,
    ManagerSerializer,
    RegistrationSerializer,
    TransitionSerializer,
)
from tmhub.talent.filters import DirectoryFilter, RegistrationFilter
from tmhub.talent.models import ManagerProfile, ManagerRegistration, RegistrationDocument


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("q", str, description="Search (jieba-segmented, Chinese or English)"),
]))
class ManagerViewSet(RestrictedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Technology managers: the public directory for everyone, plus, for scoped roles, the
    managers in their scope with contact details and the masked ID number (the fields each
    caller reads are the profile policy's `visible_fields`, checked on the loaded rows)."""

    queryset = ManagerProfile.objects.select_related(
        "employer", "work_district", "discipline").prefetch_related(
        "fields", "competences").order_by("name_pinyin", "id")
    serializer_class = ManagerSerializer
    filterset_class = DirectoryFilter
    # The FilterSet's own `ordering` (name / registered / experience, id as tie-breaker) sorts;
    # DRF's OrderingFilter would read the same parameter and undo it.
    filter_backends = [DjangoFilterBackend]
    permission_classes = [permissions.AllowAny]
    pagination_class = CachedResultPagination

    # PIPL: the rows whose contacts and masked ID a scoped caller reads are written to the
    # personal-data access log (tmhub.talent.personal_data).
    def get_object(self):
        profile = super().get_object()
        personal_data.log_private_rows(self.request, [profile])
        return profile

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        personal_data.log_private_rows(self.request, page or [])
        return page


class RegistrationViewSet(RestrictedViewSetMixin, mixins.CreateModelMixin,
                          viewsets.ReadOnlyModelViewSet):
    """Manager registrations (入库登记) with a `transition` action."""

    queryset = ManagerRegistration.objects.select_related("profile")
    serializer_class = RegistrationSerializer
    filterset_class = RegistrationFilter
    permission_classes = [permissions.IsAuthenticated]

    def perform_create(self, serializer):
        # The profile field only accepts profiles the caller may change; the service checks
        # the policy again for every caller.
        profile = serializer.validated_data["profile"]
        start = (reg.apply_for_registration if serializer.validated_data.get("submit")
                 else reg.start_registration)
        serializer.instance = start(
            actor=self.request.user, profile=profile,
            statement=serializer.validated_data.get("statement", ""),
        )

    def _visible(self, request, pk):
        try:
            return ManagerRegistration.objects.restrict(request.user).get(pk=pk)
        except (ManagerRegistration.DoesNotExist, ValueError) as exc:
            raise Http404 from exc

    @extend_schema(methods=["GET"], responses=DocumentSerializer(many=True))
    @extend_schema(methods=["POST"], request={"multipart/form-data": DocumentUploadSerializer},
                   responses={201: DocumentSerializer})
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser],
            pagination_class=None, filter_backends=[])
    def documents(self, request, pk=None):
        """Supporting documents the caller may read; POST attaches one (the applicant, while
        the application is a draft or returned)."""
        registration = self._visible(request, pk)
        if request.method == "POST":
            policies.require(request.user, "attach", registration)
            payload = DocumentUploadSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            document = docs.add_document(
                registration, actor=request.user, kind=payload.validated_data["kind"],
                upload=payload.validated_data["file"])
            return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
        return Response(DocumentSerializer(docs.documents_for(registration, request.user),
                                           many=True).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"documents/(?P<document_id>\d+)",
            url_name="document-file")
    def document_file(self, request, pk=None, document_id=None):
        """Download one document (recorded); unseen documents answer 404."""
        try:
            document = docs.documents_for(self._visible(request, pk), request.user).get(
                pk=document_id)
        except (RegistrationDocument.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
        docs.record_download(document, actor=request.user)
        response = FileResponse(document.file.open("rb"), as_attachment=True,
                                filename=document.original_name)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=TransitionSerializer, responses=RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        # Visible is enough to try; the workflow decides who may take the step.
        registration = self._visible(request, pk)
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        registration = reg.transition_registration(
            registration, payload.validated_data["target"], actor=request.user,
            reason=payload.validated_data["reason"],
            field_comments=payload.validated_data["field_comments"],
            expected_status=registration.status,
        )
        return Response(RegistrationSerializer(registration, context={"request": request}).data,
                        status=status.HTTP_200_OK)
