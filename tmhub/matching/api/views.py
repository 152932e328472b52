"""/api/v1/matches/…: the same matches as the pages, as JSON (same scopes, same ranking)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from tmhub.core.access import get_restricted_or_404
from tmhub.matching import services
from tmhub.matching.forms import NeedForm

LIMIT_MAX = 50


class MatchSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="obj.pk")
    title = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    score = serializers.FloatField()
    matched_terms = serializers.ListField(child=serializers.CharField(), source="terms")
    reasons = serializers.ListField(child=serializers.CharField())
    # What the page prints: the reasons as one sentence and the relevance as a level, in the
    # caller's language, so an API client need not join clauses or read a raw score.
    reason = serializers.CharField(source="sentence")
    level = serializers.ChoiceField(choices=["high", "medium", "low"], allow_blank=True)
    level_label = serializers.CharField()
    facts = serializers.DictField()

    def get_title(self, match) -> str:
        obj = match.obj
        return getattr(obj, "title", None) or getattr(obj, "full_name", None) or str(obj)

    def get_url(self, match) -> str:
        return self.context["request"].build_absolute_uri(match.obj.get_absolute_url())


class ResultsSerializer(serializers.Serializer):
    results = MatchSerializer(many=True)


class _MatchView(APIView):
    permission_classes = [permissions.AllowAny]

    def limit(self, request) -> int:
        try:
            return max(1, min(LIMIT_MAX, int(request.query_params.get("limit", 10))))
        except ValueError:
            return 10

    def respond(self, request, matches):
        return Response({"results": MatchSerializer(matches, many=True,
                                                    context={"request": request}).data})


LIMIT_PARAM = OpenApiParameter("limit", int, description=f"1–{LIMIT_MAX}, default 10")


class AchievementsForDemand(_MatchView):
    @extend_schema(responses=ResultsSerializer, parameters=[LIMIT_PARAM])
    def get(self, request, demand_pk):
        """Published achievements ranked for a demand, with reasons."""
        from tmhub.transfer.models import Demand

        demand = get_restricted_or_404(Demand.objects.select_related("field", "district"),
                                       request.user, pk=demand_pk)
        return self.respond(request, services.achievements_for_demand(
            demand, user=request.user, limit=self.limit(request)))


class DemandsForAchievement(_MatchView):
    @extend_schema(responses=ResultsSerializer, parameters=[LIMIT_PARAM])
    def get(self, request, achievement_pk):
        """Published demands ranked for an achievement, with reasons."""
        from tmhub.transfer.models import Achievement

        achievement = get_restricted_or_404(
            Achievement.objects.select_related("field", "owner__district"), request.user,
            pk=achievement_pk)
        return self.respond(request, services.demands_for_achievement(
            achievement, user=request.user, limit=self.limit(request)))


class ManagersForProject(_MatchView):
    @extend_schema(responses=ResultsSerializer, parameters=[LIMIT_PARAM])
    def get(self, request, project_pk):
        """Technology managers ranked for a project: fit, deals closed, current workload."""
        from tmhub.transfer.models import Project

        project = get_restricted_or_404(
            Project.objects.select_related("field", "institution__district"), request.user,
            pk=project_pk)
        return self.respond(request, services.managers_for_project(
            project, user=request.user, limit=self.limit(request)))


class ProvidersForNeed(_MatchView):
    @extend_schema(responses=ResultsSerializer, parameters=[
        OpenApiParameter("q", str, description="the need, in free text"),
        OpenApiParameter("field", int, description="industry field id"),
        OpenApiParameter("district", int, description="district id"), LIMIT_PARAM])
    def get(self, request):
        """Service providers ranked for a free-text need and an optional field."""
        form = NeedForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors.get_json_data())
        data = form.cleaned_data
        return self.respond(request, services.providers_for_need(
            data["q"], user=request.user, industry_field=data["field"],
            district=data["district"], limit=self.limit(request)))


