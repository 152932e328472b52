"""Permission cases of the organisation registry and institution registration: every page and
endpoint, every method it accepts, every persona."""

from tmhub.core.actors import SYSTEM
from tmhub.core.tests.permission_matrix import (
    EVERYONE,
    SIGNED_IN,
    Case,
    api,
    login_required_page,
)
from tmhub.orgs import services
from tmhub.orgs.change_requests import IdentityChangeRequest
from tmhub.orgs.models import InstitutionRegistration, Organization


def _registrations(personas):
    """A draft of the university's administrator; the other university's registration
    approved and the hospital's draft, both made by the platform itself (SYSTEM)."""
    draft = services.create_registration(
        actor=personas.institution_admin,
        organization=personas.university,
        premises_address="海淀区双清路",
        fulltime_staff=5,
        has_written_rules=True,
        business_scope="技术转移",
    )
    approved = services.create_registration(
        actor=SYSTEM,
        organization=personas.other_university,
        premises_address="朝阳区",
        fulltime_staff=3,
        has_written_rules=True,
        business_scope="技术转移",
    )
    services.transition_registration(approved, "submitted", actor=SYSTEM)
    services.transition_registration(approved, "approved", actor=SYSTEM)
    hospital = services.create_registration(
        actor=SYSTEM,
        organization=personas.hospital,
        premises_address="朝阳区",
        fulltime_staff=3,
        has_written_rules=True,
        business_scope="成果转化",
    )
    return draft, approved, hospital


def _identity_changes(personas):
    """A change of the university's legal name waiting for the city, asked by its
    administrator; who reads it and who may ask for one."""
    pending = services.request_identity_change(
        personas.university, actor=personas.institution_admin, name="测试大学（更名）",
        reason="教育部批复更名",
    )
    viewers = {"municipal_admin", "department_officer", "institution_admin"}
    requesters = {"department_officer", "institution_admin"}  # the city changes it directly
    return pending, viewers, requesters


def _identity_change_cases(personas, pending, viewers, requesters):
    university = personas.university
    return [
        login_required_page("orgs:identity-change-create", (university,), ok=requesters),
        # An empty form is sent back with its errors; nothing is asked.
        login_required_page("orgs:identity-change-create", (university,), ok=requesters,
                            method="post", changes=False, target=IdentityChangeRequest),
        login_required_page("orgs:identity-change-list"),
        Case("orgs:identity-change-detail", (pending,), ok=viewers),
        # A readable request may be asked to move; an illegal step is refused and redirects.
        login_required_page("orgs:identity-change-transition", (pending, "draft"), ok=viewers,
                            ok_status=302, method="post", changes=False),
        api("identity-change-request-list", ok=SIGNED_IN, anon_status=401),
        api("identity-change-request-detail", (pending,), ok=viewers, anon_status=401),
        # The provider asks for its own organisation; the city changes identities directly
        # (404); whoever may not edit the provider's record names an unknown one (400).
        api(
            "identity-change-request-list",
            method="post",
            data={"organization": personas.provider_org.pk, "name": "测试知识产权代理（更名）",
                  "reason": "工商变更登记"},
            ok={"service_provider"},
            ok_status=201,
            denied_status=400,
            special={"municipal_admin": 404},
            target=IdentityChangeRequest,
        ),
        api(
            "identity-change-request-transition",
            (pending,),
            method="post",
            data={"target": "draft"},
            ok=viewers,
            ok_status=400,
        ),
    ]


def cases(personas):
    university, hospital = personas.university, personas.hospital
    draft, approved, hospital_draft = _registrations(personas)
    editors_of_university = {"municipal_admin", "department_officer", "institution_admin"}
    draft_viewers = {
        "municipal_admin",
        "department_officer",
        "district_officer",
        "institution_admin",
    }
    draft_editors = {"institution_admin", "municipal_admin"}
    university_values = {
        "name": university.name,
        "kind": university.kind,
        "website": "https://www.example.edu.cn",
    }
    draft_values = {
        "organization": university.pk,
        "premises_address": "海淀区双清路",
        "business_scope": "技术转移、知识产权运营",
    }
    pending, change_viewers, change_requesters = _identity_changes(personas)
    return _identity_change_cases(personas, pending, change_viewers, change_requesters) + [
        Case("orgs:organization-list", ok=EVERYONE),
        Case("orgs:organization-list", ok=EVERYONE, query="export=csv&kind=university"),
        Case("orgs:organization-detail", (university,), ok=EVERYONE),
        login_required_page("orgs:organization-create", ok={"municipal_admin"}),
        login_required_page(
            "orgs:organization-create",
            ok={"municipal_admin"},
            method="post",
            changes=False,
            target=Organization,
        ),
        login_required_page("orgs:organization-edit", (university,), ok=editors_of_university),
        login_required_page(
            "orgs:organization-edit", (hospital,), ok={"municipal_admin", "health_officer"}
        ),
        login_required_page(
            "orgs:organization-edit",
            (hospital,),
            ok={"municipal_admin", "health_officer"},
            method="post",
            changes=False,
        ),
        login_required_page("orgs:registration-create", (university,), ok={"institution_admin"}),
        login_required_page(
            "orgs:registration-create",
            (university,),
            ok={"institution_admin"},
            method="post",
            changes=False,
            target=InstitutionRegistration,
        ),
        Case("orgs:registration-list", ok=EVERYONE),
        Case("orgs:registration-detail", (draft,), ok=draft_viewers),
        Case("orgs:registration-detail", (approved,), ok=EVERYONE),
        Case(
            "orgs:registration-detail", (hospital_draft,), ok={"municipal_admin", "health_officer"}
        ),
        login_required_page("orgs:registration-edit", (draft,), ok=draft_editors),
        login_required_page(
            "orgs:registration-edit", (draft,), ok=draft_editors, method="post", changes=False
        ),
        # A visible registration may be asked to move; the workflow refuses and redirects.
        login_required_page(
            "orgs:registration-transition",
            (draft, "approved"),
            ok=draft_viewers,
            ok_status=302,
            method="post",
            changes=False,
        ),
        # API
        api("organization-list"),
        api("organization-detail", (university,)),
        api(
            "organization-detail",
            (university,),
            method="patch",
            data={"website": "https://www.example.edu.cn"},
            ok=editors_of_university,
        ),
        api(
            "organization-detail",
            (university,),
            method="put",
            data=university_values,
            ok=editors_of_university,
        ),
        api(
            "organization-detail",
            (hospital,),
            method="put",
            data={"name": hospital.name, "kind": hospital.kind},
            ok={"municipal_admin", "health_officer"},
        ),
        api(
            "organization-list",
            method="post",
            data={"name": "新机构", "kind": "enterprise"},
            ok={"municipal_admin"},
            ok_status=201,
            denied_status=403,
            target=Organization,
        ),
        api("institution-registration-list"),
        api("institution-registration-detail", (draft,), ok=draft_viewers),
        api(
            "institution-registration-detail",
            (draft,),
            method="patch",
            data={"business_scope": "技术转移、知识产权运营"},
            ok=draft_editors,
        ),
        # A full update names the organisation, which only its own administrator may register.
        api(
            "institution-registration-detail",
            (draft,),
            method="put",
            data=draft_values,
            ok=draft_editors,
            special={"municipal_admin": 400},
        ),
        # Registering an organisation one does not administer reads like a missing one (400).
        api(
            "institution-registration-list",
            method="post",
            data={
                "organization": personas.other_university.pk,
                "premises_address": "朝阳区",
                "business_scope": "技术转移",
            },
            ok=(),
            denied_status=400,
            target=InstitutionRegistration,
        ),
        api(
            "institution-registration-transition",
            (draft,),
            method="post",
            data={"target": "approved"},
            ok=draft_viewers,
            ok_status=400,
        ),
    ]
