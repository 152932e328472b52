"""Token sign-in, the caller's API tokens (list, revoke) and the current user's roles."""

from django.contrib.auth import authenticate
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ErrorDetail, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from tmhub.accounts import lockouts, tokens, two_factor
from tmhub.accounts.models import ApiToken, User
from tmhub.core import policies
from tmhub.core.access import CHANGE, get_scope

ApiError = inline_serializer(
    "AuthError", {"detail": serializers.CharField(), "code": serializers.CharField()}
)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False,
                                     style={"input_type": "password"}, write_only=True)
    name = serializers.CharField(
        max_length=100, required=False, allow_blank=True,
        help_text=gettext_lazy("A name to recognise the token by (optional)."))
    otp = serializers.CharField(
        max_length=16, required=False, allow_blank=True,
        help_text=gettext_lazy("The current code of your authenticator app (or a recovery "
                               "code): required for accounts with two-factor sign-in."))


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text=gettext_lazy("Send as `Authorization: Token <token>`; shown only once."))
    expiry = serializers.DateTimeField()


class TokenView(APIView):
    """POST username and password; returns a new token and when it expires.

    Throttled per client address, and locked out per username and per address after
    repeated failures (django-axes): a locked-out request answers 429 `locked_out`.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(ApiError, description="Wrong username or password, or a "
                                                       "wrong two-factor code (`invalid_code`)."),
            403: OpenApiResponse(ApiError, description="Two-factor sign-in is not set up yet "
                                                       "(`two_factor_setup_required`)."),
            429: OpenApiResponse(ApiError, description="Locked out (`locked_out`) or "
                                                       "throttled (`throttled`)."),
        },
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        user = authenticate(request=request, username=username,
                            password=data.validated_data["password"])
        if getattr(request, "axes_locked_out", False):
            return lockouts.lockout_response(request._request)
        if user is None:
            raise ValidationError({"non_field_errors": [ErrorDetail(
                _("Unable to sign in with the credentials provided."), code="authorization")]})
        lockouts.clear_username_failures(user.get_username())
        if two_factor.requires_two_factor(user):
            # A token of a two-factor role is issued only with the second factor.
            if not two_factor.has_confirmed_device(user):
                raise PermissionDenied(ErrorDetail(
                    _("Set up two-factor sign-in on the web first."),
                    code="two_factor_setup_required"))
            if two_factor.verify(user, data.validated_data.get("otp", "")) is None:
                raise ValidationError({"otp": [ErrorDetail(
                    _("This code is not valid. Check the time on your phone and enter the "
                      "current code."), code="invalid_code")]})
        token, key = tokens.issue_token(user=user, actor=user,
                                        name=data.validated_data.get("name") or "API")
        return Response(TokenResponseSerializer({"token": key, "expiry": token.expiry}).data)


class ApiTokenSerializer(serializers.ModelSerializer):
    prefix = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "The first characters of the key, to tell tokens apart."))
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "user", "username", "created", "expiry",
                  "last_used_at"]
        read_only_fields = fields


@extend_schema(parameters=[OpenApiParameter(
    "user", OpenApiTypes.INT, description="Administrators: another user's tokens.")])
class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The caller's API tokens (never the keys). Administrators (municipal, superuser) may pass
    `?user=<id>` to see anyone's; DELETE revokes a token at once. Someone else's token is 404."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    queryset = ApiToken.objects.none()

    def _owner(self):
        raw = self.request.query_params.get("user")
        if raw in (None, ""):
            return self.request.user
        try:
            owner = User.objects.get(pk=int(raw))
        except (ValueError, TypeError, OverflowError, User.DoesNotExist) as exc:
            raise Http404 from exc
        policies.require(self.request.user, "manage_tokens", owner)
        return owner

    def get_queryset(self):
        visible = ApiToken.objects.restrict(self.request.user, CHANGE).select_related("user")
        if self.action == "list":
            return visible.filter(user=self._owner(), expiry__gt=timezone.now())
        return visible

    def perform_destroy(self, instance):
        tokens.revoke_token(instance, actor=self.request.user, reason="api")



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
