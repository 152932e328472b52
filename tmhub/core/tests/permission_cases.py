"""Permission cases of the core and accounts pages and endpoints, every method they accept.

Forms are posted empty (refused by the form, nothing saved) unless the case is about the step
itself; records are made through the services.
"""

from tmhub.accounts.models import ApiToken
from tmhub.accounts.services import create_user, grant_membership
from tmhub.accounts.tokens import issue_token
from tmhub.core.actors import SYSTEM
from tmhub.core.models import ImportJob
from tmhub.core.roles import Role
from tmhub.core.tabular.importing import REGISTRY, start_import
from tmhub.core.tests.permission_matrix import (
    EVERYONE,
    SIGNED_IN,
    Case,
    api,
    login_required_page,
)
from tmhub.talent.tests.helpers import xlsx_upload

PEOPLE_ADMINS = {"municipal_admin", "institution_admin"}


def _invalid_import(personas) -> ImportJob:
    """An upload of the institution administrator that failed its dry run (never committable)."""
    upload = xlsx_upload(["姓名", "身份证号"], [["无证件号", ""]])
    job = start_import(REGISTRY["managers"], upload, actor=personas.institution_admin)
    assert job.status == ImportJob.Status.INVALID
    return job


def cases(personas):
    # Roles of a bystander, so revoking them does not change any persona's scope.
    bystander = create_user(actor=SYSTEM, username="p_bystander", password=None)
    manager_role = grant_membership(
        actor=SYSTEM, user=bystander, role=Role.MANAGER, organization=personas.university
    )
    enterprise_role = grant_membership(
        actor=SYSTEM, user=bystander, role=Role.ENTERPRISE, organization=personas.company
    )
    # A bystander's API tokens: only the city may revoke them (one per request that may).
    web_token, _key = issue_token(user=bystander, actor=SYSTEM, name="web")
    api_token, _key = issue_token(user=bystander, actor=SYSTEM, name="api")
    job = _invalid_import(personas)
    owner_and_city = {"municipal_admin", "institution_admin"}
    return [
        # people and roles
        login_required_page("accounts:user-list", ok=PEOPLE_ADMINS),
        login_required_page("accounts:user-create", ok=PEOPLE_ADMINS),
        login_required_page(
            "accounts:user-create",
            ok=PEOPLE_ADMINS,
            method="post",
            changes=False,
            target=personas.manager.__class__,
        ),
        login_required_page("accounts:user-detail", (personas.manager,), ok=PEOPLE_ADMINS),
        login_required_page("accounts:user-detail", (personas.enterprise,), ok={"municipal_admin"}),
        # The role-grant form posted empty: refused by the form for those who see the person.
        login_required_page(
            "accounts:user-detail",
            (personas.manager,),
            ok=PEOPLE_ADMINS,
            method="post",
            changes=False,
        ),
        login_required_page(
            "accounts:membership-revoke",
            (enterprise_role,),
            ok={"municipal_admin"},
            ok_status=302,
            method="post",
        ),
        login_required_page(
            "accounts:membership-revoke",
            (manager_role,),
            ok={"institution_admin", "municipal_admin"},
            ok_status=302,
            method="post",
        ),
        # home, notifications, imports
        Case("core:home", ok=EVERYONE),
        Case("core:healthz", ok=EVERYONE),
        login_required_page("core:notifications"),
        login_required_page("core:my-work-badge"),
        login_required_page("core:notifications-read", method="post", ok_status=302),
        login_required_page("core:notification-preferences"),
        # Posted empty: the form asks for a language, nothing is saved.
        login_required_page(
            "core:notification-preferences", method="post", changes=False, target=personas.manager
        ),
        login_required_page("core:import-list"),
        login_required_page("core:import-new", ("organizations",), ok={"municipal_admin"}),
        login_required_page(
            "core:import-new",
            ("organizations",),
            ok={"municipal_admin"},
            method="post",
            changes=False,
            target=ImportJob,
        ),
        login_required_page("core:import-template", ("organizations",), ok={"municipal_admin"}),
        # The searchable selects' lookups: reference data and the public registry for everyone,
        # managers for those signed in, within their scope (tmhub/core/tests/test_lookups.py).
        Case("core:lookup-disciplines", ok=EVERYONE),
        Case("core:lookup-organizations", ok=EVERYONE),
        login_required_page("core:lookup-managers"),
        login_required_page("core:import-detail", (job,), ok=owner_and_city),
        # A job that failed its dry run: who sees it is told it cannot be committed.
        login_required_page(
            "core:import-commit",
            (job,),
            ok=owner_and_city,
            ok_status=302,
            method="post",
            changes=False,
        ),
        # sign-in and passwords (empty forms: refused by the form, no sign-in attempt counted)
        Case("accounts:login", ok=EVERYONE),
        Case("accounts:login", ok=EVERYONE, method="post", changes=False),
        Case("accounts:login", ok=EVERYONE, method="put", changes=False),
        login_required_page("accounts:profile"),
        login_required_page("accounts:password_change"),
        login_required_page(
            "accounts:password_change", method="post", changes=False, target=personas.manager
        ),
        login_required_page(
            "accounts:password_change", method="put", changes=False, target=personas.manager
        ),
        Case("accounts:password_reset", ok=EVERYONE),
        Case("accounts:password_reset", ok=EVERYONE, method="post", changes=False),
        Case("accounts:password_reset", ok=EVERYONE, method="put", changes=False),
        # API tokens: one's own (each signed-in persona creates one), the city revokes others'
        login_required_page("accounts:token-list"),
        login_required_page(
            "accounts:token-list",
            method="post",
            data={"name": "matrix"},
            ok_status=302,
            target=ApiToken,
        ),
        login_required_page(
            "accounts:token-revoke",
            (web_token,),
            ok={"municipal_admin"},
            ok_status=302,
            method="post",
        ),
        login_required_page("accounts:lockout-list", ok={"municipal_admin"}),
        login_required_page(
            "accounts:lockout-unlock",
            ok={"municipal_admin"},
            ok_status=302,
            method="post",
            data={"kind": "username", "value": "nobody"},
        ),
        # API. Without a password: refused before any sign-in attempt, so the matrix's eleven
        # requests do not reach the sign-in lockout (tmhub/accounts/tests/test_lockout.py).
        api(
            "api-token",
            method="post",
            data={"username": "x"},
            ok=(),
            denied_status=400,
            anon_status=400,
            target=ApiToken,
        ),
        api("api-me", ok=SIGNED_IN, denied_status=401),
        api("api-tokens-list", ok=SIGNED_IN, denied_status=401),
        api(
            "api-tokens-list", ok={"municipal_admin"}, anon_status=401, query=f"user={bystander.pk}"
        ),
        api(
            "api-tokens-detail",
            (api_token,),
            ok={"municipal_admin"},
            ok_status=204,
            method="delete",
        ),
    ]
