"""Serializers of the evaluation API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tmhub.evaluation.choices import NO_TITLE, Education
from tmhub.evaluation.models import TitleDirection, TitleLevel

MAX_YEARS = 80


class TitleEligibilityRequestSerializer(serializers.Serializer):
    """`{level, direction, education, years_since_education, current_title,
    years_in_current_title}`: full years as integers, `current_title` a level code or `none`."""

    level = serializers.CharField(max_length=30)
    direction = serializers.CharField(max_length=30)
    education = serializers.ChoiceField(choices=Education.choices)
    years_since_education = serializers.IntegerField(min_value=0, max_value=MAX_YEARS)
    current_title = serializers.CharField(max_length=30)
    years_in_current_title = serializers.IntegerField(min_value=0, max_value=MAX_YEARS)

    def validate_level(self, value):
        level = TitleLevel.objects.filter(code=value).first()
        if level is None:
            raise serializers.ValidationError(_("Unknown title level."), code="invalid_choice")
        return level

    def validate_direction(self, value):
        direction = TitleDirection.objects.filter(code=value).first()
        if direction is None:
            raise serializers.ValidationError(_("Unknown title direction."),
                                              code="invalid_choice")
        return direction

    def validate_current_title(self, value):
        if value == NO_TITLE:
            return None
        level = TitleLevel.objects.filter(code=value).first()
        if level is None:
            raise serializers.ValidationError(
                _("Give a title level code, or “none”."), code="invalid_choice")
        return level

    def validate(self, attrs):
        if attrs.get("current_title") is None and attrs.get("years_in_current_title"):
            raise serializers.ValidationError({"years_in_current_title": serializers.ErrorDetail(
                _("Without a current title the years in it are 0."), code="no_title")})
        return attrs


class TitleConditionSerializer(serializers.Serializer):
    code = serializers.CharField()
    met = serializers.BooleanField(allow_null=True)
    explanation = serializers.CharField()


class TitleEligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    conditions = TitleConditionSerializer(many=True)
