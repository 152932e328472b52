"""Token sign-in and the current user's roles."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from tmhub.core.access import get_scope


class TokenView(ObtainAuthToken):
    """POST username and password; returns {"token": "..."}. Throttled against guessing."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"


@extend_schema(
    responses=inline_serializer(
        "Me",
        {
            "username": serializers.CharField(),
            "display_name": serializers.CharField(),
            "roles": serializers.ListField(child=serializers.CharField()),
        },
    )
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me(request):
    scope = get_scope(request.user)
    return Response(
        {
            "username": request.user.username,
            "display_name": request.user.display_name,
            "roles": sorted(scope.roles),
        }
    )
