"""Views of the evaluation API."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from tmhub.evaluation.api.serializers import (
    TitleEligibilityRequestSerializer,
    TitleEligibilitySerializer,
)
from tmhub.evaluation.services.titles import check_eligibility


class TitleEligibilityView(APIView):
    """Public: may one apply for a title level, and why (each condition explained)?

    Offered before anyone starts an application, so anyone may ask; it reads the rules in
    force today and changes nothing."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=TitleEligibilityRequestSerializer,
                   responses={200: TitleEligibilitySerializer})
    def post(self, request):
        payload = TitleEligibilityRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        verdict = check_eligibility(**payload.validated_data)
        return Response(TitleEligibilitySerializer(verdict.as_dict()).data)
