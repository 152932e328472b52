"""Serializers of the case library's API (issue 17 item 5). A case's `facts` are the full
snapshot for its editors and the city, and the public figures for everyone else — one rule,
the policy's `see_withheld`; a withheld figure's key is absent, never null. Writes go through
the services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tmhub.core import policies
from tmhub.evaluation.case_facts import public_facts
from tmhub.evaluation.case_workflows import CASE_WORKFLOW
from tmhub.evaluation.models import CaseConsent, TransferCase
from tmhub.evaluation.models.cases import WITHHOLD_FLAGS
from tmhub.evaluation.services.cases import TEXT_FIELDS


def _viewer(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class CaseConsentSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.name", read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = CaseConsent
        fields = ["id", "party", "party_name", "consented_by", "consented_on", "note",
                  "has_document", "created_at"]
        read_only_fields = fields

    def get_has_document(self, consent) -> bool:
        return bool(consent.evidence)


class TransferCaseSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    withheld = serializers.SerializerMethodField()

    class Meta:
        model = TransferCase
        fields = ["id", "title", "title_zh", "title_en", "project", "institution",
                  "institution_name", "field", "discipline", "transfer_mode", "contract_kind",
                  "status", "published_at", "withheld"]
        read_only_fields = fields

    def get_withheld(self, case) -> list[str]:
        return sorted(case.withheld())


class CaseStepSerializer(serializers.Serializer):
    target = serializers.CharField()
    label = serializers.CharField()
    needs_reason = serializers.BooleanField()
    blocked = serializers.ListField(child=serializers.CharField())


class TransferCaseDetailSerializer(TransferCaseSerializer):
    facts = serializers.SerializerMethodField()
    consents = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()

    class Meta(TransferCaseSerializer.Meta):
        fields = [*TransferCaseSerializer.Meta.fields, *TEXT_FIELDS[2:],
                  *WITHHOLD_FLAGS.values(), "facts_as_of", "facts", "consents", "steps"]
        read_only_fields = fields

    def get_facts(self, case) -> dict:
        if policies.allows(_viewer(self), "see_withheld", case):
            return case.facts
        return public_facts(case.facts, case.withheld())

    def get_consents(self, case) -> list:
        rows = case.consents.restrict(_viewer(self)).select_related("party")
        return CaseConsentSerializer(rows, many=True).data

    def get_steps(self, case) -> list:
        user = _viewer(self)
        if user is None or not user.is_authenticated:
            return []
        return CaseStepSerializer([
            {"target": b.target, "label": str(b.label), "needs_reason": b.needs_reason,
             "blocked": [str(m) for m in b.blocked]}
            for b in CASE_WORKFLOW.buttons(case, user)], many=True).data


class CaseNarrativeSerializer(serializers.ModelSerializer):
    """The narrative and the withholding flags (PATCH: any of them)."""

    class Meta:
        model = TransferCase
        fields = [*TEXT_FIELDS, *WITHHOLD_FLAGS.values()]


class CaseDraftRequestSerializer(CaseNarrativeSerializer):
    project = serializers.IntegerField(
        help_text=_("The transfer project (at the transaction or landing stage)."))

    class Meta(CaseNarrativeSerializer.Meta):
        fields = ["project", *CaseNarrativeSerializer.Meta.fields]


class CaseTransitionRequestSerializer(serializers.Serializer):
    target = serializers.CharField(max_length=20)
    reason = serializers.CharField(max_length=3000, required=False, allow_blank=True,
                                   default="")


class CaseConsentRequestSerializer(serializers.Serializer):
    party = serializers.IntegerField(help_text=_("The organisation giving its consent."))
    consented_by = serializers.CharField(max_length=200)
    consented_on = serializers.DateField()
    note = serializers.CharField(max_length=2000,
                                 help_text=_("How the consent was given, and its scope."))
