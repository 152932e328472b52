"""Permission cases of the network pages: every route, every method, every persona."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tmhub.core.tests.permission_matrix import (
    EVERYONE,
    SIGNED_IN,
    Case,
    api,
    login_required_page,
)
from tmhub.network import collaborations as collab_services
from tmhub.network import needs as need_services
from tmhub.network.choices import IntroductionStatus, ServiceStatus
from tmhub.network.models import Financing, ServiceNeed
from tmhub.network.tests.helpers import (
    given_collaboration,
    given_financing,
    given_introduction,
    given_need,
    given_service,
)

# The city changes every row (tmhub.core.policies): it may correct an entry too.
EDITORS = {"service_provider", "municipal_admin"}
# Who works the test project (its institution's administrator, its lead manager) and the city.
PROJECT_SIDE = {"institution_admin", "manager", "municipal_admin"}
# Who sees it: those, and the officer of the institution's district.
PROJECT_VIEWERS = PROJECT_SIDE | {"district_officer"}


def cases(personas) -> list[Case]:
    draft = given_service(personas, title="草稿服务")
    public = given_service(personas, title="公开服务", publish=True)
    introduction = given_introduction(personas, publish=False)
    addressed = introduction.need
    unaddressed = given_need(personas, title="未介绍的需求")
    accepted = given_introduction(personas, need=given_need(personas, title="已接受的需求"),
                                  publish=False)
    need_services.answer(accepted, IntroductionStatus.ACCEPTED, actor=personas.service_provider)
    active = given_collaboration(personas)
    completed = given_collaboration(personas, complete=True)
    document = collab_services.add_document(
        active, actor=personas.manager, title="委托协议",
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf"))
    sides = PROJECT_VIEWERS | {"service_provider"}
    round_ = given_financing(personas)
    bad_rating = {"scores": {"quality": 9}}
    return [
        api("network-need-list", ok=SIGNED_IN, anon_status=401),
        api("network-need-detail", (addressed,), ok=PROJECT_VIEWERS | {"service_provider"},
            anon_status=401),
        api("network-need-list", ok=SIGNED_IN, method="post", data={}, ok_status=400,
            target=ServiceNeed),
        # An unknown provider: who may see the need gets 404 like everyone else.
        api("network-need-introduce", (unaddressed,), method="post",
            data={"provider": 999999}, ok=set(), anon_status=401),
        api("network-collaboration-list", ok=SIGNED_IN, anon_status=401),
        api("network-collaboration-detail", (completed,), ok=sides, anon_status=401),
        # A score out of range: the parties get 400, the city 400 (not a party), others 404.
        api("network-collaboration-rate", (completed,), method="post", data=bad_rating,
            ok=sides, ok_status=400, anon_status=401),
        api("network-financing-list", ok=SIGNED_IN, anon_status=401),
        api("network-financing-detail", (round_,), ok=PROJECT_VIEWERS, anon_status=401),
        api("network-financing-list", ok=SIGNED_IN, method="post", data={}, ok_status=400,
            target=Financing),
        # An illegal step (approved → pending): who sees the round gets 400, others 404.
        api("network-financing-transition", (round_,), method="post",
            data={"target": "pending"}, ok=PROJECT_VIEWERS, ok_status=400, anon_status=401),
        login_required_page("network:coverage", ok={"municipal_admin"}),
        login_required_page("network:financing-list"),
        # The enterprise records rounds of its own company.
        login_required_page("network:financing-create", ok=PROJECT_SIDE | {"enterprise"}),
        login_required_page("network:financing-create", ok=PROJECT_SIDE | {"enterprise"},
                            method="post", changes=False),
        login_required_page("network:financing-detail", (round_,), ok=PROJECT_VIEWERS),
        # No reason given: who may reverse is sent back with the error, nothing changes.
        login_required_page("network:financing-reverse", (round_,), method="post",
                            ok=PROJECT_SIDE, ok_status=302, changes=False),
        # An illegal step (approved → pending): who sees the round is sent back, nothing moves.
        login_required_page("network:financing-step", (round_, "pending"), method="post",
                            ok=PROJECT_VIEWERS, ok_status=302, changes=False),
        login_required_page("network:project", (round_.project,), ok=PROJECT_VIEWERS),
        Case("network:home", ok=EVERYONE),
        login_required_page("network:collaboration-list"),
        login_required_page("network:collaboration-create", (accepted,), ok=PROJECT_SIDE),
        login_required_page("network:collaboration-create", (accepted,), ok=PROJECT_SIDE,
                            method="post", changes=False),
        login_required_page("network:collaboration-detail", (active,), ok=sides),
        login_required_page("network:collaboration-edit", (active,), ok=PROJECT_SIDE),
        login_required_page("network:collaboration-edit", (active,), ok=PROJECT_SIDE,
                            method="post", changes=False),
        login_required_page("network:collaboration-step", (active, "sent"), method="post",
                            ok=sides, ok_status=302, changes=False),
        # Only the collaboration's manager and its provider rate (the city does not).
        login_required_page("network:collaboration-rate", (completed,),
                            ok={"manager", "service_provider"}),
        login_required_page("network:collaboration-rate", (completed,), method="post",
                            ok={"manager", "service_provider"}, changes=False),
        login_required_page("network:collaboration-document-add", (active,), method="post",
                            ok=sides, ok_status=302, changes=False),
        login_required_page("network:collaboration-document", (document,), ok=sides),
        login_required_page("network:need-list"),
        login_required_page("network:need-create", ok=PROJECT_SIDE),
        login_required_page("network:need-create", ok=PROJECT_SIDE, method="post",
                            changes=False),
        login_required_page("network:need-detail", (addressed,),
                            ok=PROJECT_VIEWERS | {"service_provider"}),
        login_required_page("network:need-detail", (unaddressed,), ok=PROJECT_VIEWERS),
        # Its owners (and the city) edit an open need; a blank form is refused, nothing moves.
        login_required_page("network:need-edit", (unaddressed,), ok=PROJECT_SIDE),
        login_required_page("network:need-edit", (unaddressed,), ok=PROJECT_SIDE,
                            method="post", changes=False),
        # No provider chosen: who may introduce is sent back with the error, nothing changes.
        login_required_page("network:need-introduce", (unaddressed,), method="post",
                            ok=PROJECT_SIDE, ok_status=302, changes=False),
        # An illegal step (open → sent): who sees the need is sent back, nothing moves.
        login_required_page("network:need-step", (addressed, "sent"), method="post",
                            ok=PROJECT_VIEWERS | {"service_provider"}, ok_status=302,
                            changes=False),
        login_required_page("network:introduction-list"),
        login_required_page("network:introduction-detail", (introduction,),
                            ok=PROJECT_VIEWERS | {"service_provider"}),
        login_required_page("network:introduction-step", (introduction, "open"),
                            method="post", ok=PROJECT_VIEWERS | {"service_provider"},
                            ok_status=302, changes=False),
        Case("network:provider-detail", (personas.provider_org,), ok=EVERYONE),
        login_required_page("network:service-list"),
        login_required_page("network:service-create", ok={"service_provider"}),
        login_required_page("network:service-create", ok={"service_provider"}, method="post",
                            changes=False),
        Case("network:service-detail", (public,), ok=EVERYONE),
        Case("network:service-detail", (draft,), ok={"service_provider", "municipal_admin"}),
        login_required_page("network:service-edit", (draft,), ok=EDITORS),
        login_required_page("network:service-edit", (draft,), ok=EDITORS,
                            method="post", changes=False),
        # An illegal step (draft → public): who reaches it is redirected back, nothing moves.
        Case("network:service-step", (draft, ServiceStatus.PUBLISHED), method="post",
             ok={"service_provider", "municipal_admin"}, ok_status=302, changes=False),
        api("network-provider-list"),
        api("network-provider-detail", (personas.provider_org,)),
    ]
