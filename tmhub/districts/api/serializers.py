"""Districts API shapes: what the caller may read, and the inputs of the writes (each handed
to the same service as the page's form)."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from tmhub.core.models import District, IndustryField
from tmhub.districts.choices import EventKind, LandingKind, TimeBasis
from tmhub.districts.models import (
    CommissionerPost,
    EventFollowUp,
    EventRegistration,
    Landing,
    LiaisonAgreement,
    MatchEvent,
)
from tmhub.network.models import Financing
from tmhub.orgs.models import Organization
from tmhub.transfer.models import Contract, Project


class LiaisonAgreementSerializer(serializers.ModelSerializer):
    district_code = serializers.CharField(source="district.code", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = LiaisonAgreement
        fields = ["id", "district", "district_code", "institution", "institution_name",
                  "district_contact", "institution_contact", "scope", "scope_en",
                  "starts_on", "ends_on", "renews"]
        read_only_fields = fields


class CommissionerPostSerializer(serializers.ModelSerializer):
    district_code = serializers.CharField(source="district.code", read_only=True)
    holder_name = serializers.SerializerMethodField()

    class Meta:
        model = CommissionerPost
        fields = ["id", "district", "district_code", "title", "title_en", "park",
                  "time_basis", "status", "applications_close_on", "holder", "holder_name",
                  "term_start", "term_end"]
        read_only_fields = fields

    def get_holder_name(self, obj) -> str:
        return str(obj.holder) if obj.holder_id else ""


class MatchEventSerializer(serializers.ModelSerializer):
    district_code = serializers.CharField(source="district.code", read_only=True)
    registered = serializers.IntegerField(read_only=True)
    attended = serializers.IntegerField(source="attended_count", read_only=True)
    follow_ups = serializers.IntegerField(source="follow_ups_count", read_only=True)
    landings = serializers.IntegerField(source="landings_count", read_only=True)
    held = serializers.BooleanField(source="is_past", read_only=True)

    class Meta:
        model = MatchEvent
        fields = ["id", "district", "district_code", "title", "title_en", "kind", "organiser",
                  "held_on", "held", "place", "online", "field", "capacity", "registered",
                  "attended", "follow_ups", "landings"]
        read_only_fields = fields


class LandingSerializer(serializers.ModelSerializer):
    district_code = serializers.CharField(source="district.code", read_only=True)

    class Meta:
        model = Landing
        fields = ["id", "district", "district_code", "kind", "title", "occurred_on",
                  "company_name", "credit_code", "contract", "financing", "investor",
                  "amount_fen", "project", "event", "managers"]
        read_only_fields = fields


# ------------------------------------------------------------------ writes (each a service's input)
def _request_user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class _Input(serializers.Serializer):
    """An input shape: validated here for types, then handed whole to the service, which
    checks the policy (the caller's district) and the rules, as the pages do."""

    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all())


class LiaisonAgreementInputSerializer(_Input):
    institution = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    district_contact = serializers.CharField(max_length=100)
    district_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    institution_contact = serializers.CharField(max_length=100)
    institution_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    scope = serializers.CharField(max_length=2000)
    scope_en = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class CommissionerPostInputSerializer(_Input):
    title = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    park = serializers.CharField(max_length=200)
    time_basis = serializers.ChoiceField(choices=TimeBasis.choices)
    duties = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    applications_close_on = serializers.DateField(required=False, allow_null=True)


class MatchEventInputSerializer(_Input):
    title = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=EventKind.choices, required=False)
    organiser = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    online = serializers.BooleanField(required=False, default=False)
    field = serializers.PrimaryKeyRelatedField(queryset=IndustryField.objects.all(),
                                               required=False, allow_null=True)
    capacity = serializers.IntegerField(min_value=1)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    is_published = serializers.BooleanField(required=False, default=True)


class LandingInputSerializer(_Input):
    kind = serializers.ChoiceField(choices=LandingKind.choices)
    title = serializers.CharField(max_length=200)
    occurred_on = serializers.DateField()
    company_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True)
    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.none(),
                                                  required=False, allow_null=True)
    financing = serializers.PrimaryKeyRelatedField(
        queryset=Financing.objects.none(), required=False, allow_null=True,
        help_text="For an investment: the approved financing round (its investor, amount and "
                  "date are the round's).")
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.none(),
                                                 required=False, allow_null=True)
    event = serializers.PrimaryKeyRelatedField(queryset=MatchEvent.objects.none(),
                                               required=False, allow_null=True)
    managers = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(), many=True, required=False)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = _request_user(self)
        # Only records the caller may read can be named (others are "does not exist").
        self.fields["contract"].queryset = Contract.objects.restrict(user)
        self.fields["financing"].queryset = Financing.objects.restrict(user)
        self.fields["project"].queryset = Project.objects.restrict(user)
        self.fields["event"].queryset = MatchEvent.objects.restrict(user)


class ApplicationInputSerializer(serializers.Serializer):
    statement = serializers.CharField(max_length=2000)


class AppointInputSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1)
    term_start = serializers.DateField()
    term_end = serializers.DateField()


class FollowUpSerializer(serializers.ModelSerializer):
    first_name = serializers.CharField(source="first.person.__str__", read_only=True)
    second_name = serializers.CharField(source="second.person.__str__", read_only=True)

    class Meta:
        model = EventFollowUp
        fields = ["id", "event", "first", "first_name", "second", "second_name", "note",
                  "created_at"]
        read_only_fields = ["id", "event", "first_name", "second_name", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.context.get("event")
        if event is not None:
            attendees = EventRegistration.objects.filter(event=event)
            self.fields["first"].queryset = attendees
            self.fields["second"].queryset = attendees
