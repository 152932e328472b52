"""Permission cases of the network pages: every route, every method, every persona."""

from tmhub.core.tests.permission_matrix import EVERYONE, Case, api, login_required_page
from tmhub.network.choices import ServiceStatus
from tmhub.network.tests.helpers import given_service

# The city changes every row (tmhub.core.policies): it may correct an entry too.
EDITORS = {"service_provider", "municipal_admin"}


def cases(personas) -> list[Case]:
    draft = given_service(personas, title="草稿服务")
    public = given_service(personas, title="公开服务", publish=True)
    return [
        Case("network:home", ok=EVERYONE),
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
