"""Permission cases of the organisation registry and institution registration."""

from tmhub.accounts.models import User
from tmhub.core.tests.permission_matrix import EVERYONE, Case, login_required_page
from tmhub.orgs import services


def _registrations(personas):
    admin = User.objects.create_superuser("p_root", "root@example.cn", "x")
    draft = services.create_registration(
        actor=personas.institution_admin, organization=personas.university,
        premises_address="海淀区双清路", fulltime_staff=5, has_written_rules=True,
        business_scope="技术转移",
    )
    approved = services.create_registration(
        actor=admin, organization=personas.other_university, premises_address="朝阳区",
        fulltime_staff=3, has_written_rules=True, business_scope="技术转移",
    )
    services.transition_registration(approved, "submitted", actor=admin)
    services.transition_registration(approved, "approved", actor=admin)
    hospital = services.create_registration(
        actor=admin, organization=personas.hospital, premises_address="朝阳区",
        fulltime_staff=3, has_written_rules=True, business_scope="成果转化",
    )
    return draft, approved, hospital


def cases(personas):
    university, hospital = personas.university, personas.hospital
    draft, approved, hospital_draft = _registrations(personas)
    editors_of_university = {"municipal_admin", "department_officer", "institution_admin"}
    draft_viewers = {"municipal_admin", "department_officer", "district_officer",
                     "institution_admin"}
    return [
        Case("orgs:organization-list", ok=EVERYONE),
        Case("orgs:organization-list", ok=EVERYONE, query="export=csv&kind=university"),
        Case("orgs:organization-detail", (university.pk,), ok=EVERYONE),
        login_required_page("orgs:organization-create", ok={"municipal_admin"}),
        login_required_page("orgs:organization-edit", (university.pk,), ok=editors_of_university),
        login_required_page("orgs:organization-edit", (hospital.pk,),
                            ok={"municipal_admin", "health_officer"}),
        login_required_page("orgs:registration-create", (university.pk,),
                            ok={"institution_admin"}),
        Case("orgs:registration-list", ok=EVERYONE),
        Case("orgs:registration-detail", (draft.pk,), ok=draft_viewers),
        Case("orgs:registration-detail", (approved.pk,), ok=EVERYONE),
        Case("orgs:registration-detail", (hospital_draft.pk,),
             ok={"municipal_admin", "health_officer"}),
        login_required_page("orgs:registration-edit", (draft.pk,),
                            ok={"institution_admin", "municipal_admin"}),
        # A visible registration may be asked to move; the workflow refuses and redirects.
        login_required_page("orgs:registration-transition", (draft.pk, "approved"),
                            ok=draft_viewers, ok_status=302, method="post"),
        # API
        Case("organization-list", ok=EVERYONE),
        Case("organization-detail", (university.pk,), ok=EVERYONE),
        Case("organization-detail", (university.pk,), method="patch",
             data={"website": "https://www.example.edu.cn"}, ok=editors_of_university,
             anon_status=401),
        Case("organization-list", method="post", data={"name": "新机构", "kind": "enterprise"},
             ok={"municipal_admin"}, ok_status=201, denied_status=403, anon_status=401),
        Case("institution-registration-list", ok=EVERYONE),
        Case("institution-registration-detail", (draft.pk,), ok=draft_viewers),
        # Registering an organisation one does not administer reads like a missing one (400).
        Case("institution-registration-list", method="post",
             data={"organization": personas.other_university.pk, "premises_address": "朝阳区",
                   "business_scope": "技术转移"},
             denied_status=400, anon_status=401),
        Case("institution-registration-transition", (draft.pk,), method="post",
             data={"target": "approved"}, ok=draft_viewers, ok_status=400, anon_status=401),
    ]
