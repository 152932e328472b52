"""Permission cases of the core and accounts pages."""

from tmhub.accounts.services import create_user, grant_membership
from tmhub.accounts.tokens import issue_token
from tmhub.core.tests.permission_matrix import EVERYONE, SIGNED_IN, Case, login_required_page


def cases(personas):
    # Roles of a bystander, so revoking them does not change any persona's scope.
    bystander = create_user(actor=None, username="p_bystander", password=None)
    manager_role = grant_membership(actor=None, user=bystander, role="manager",
                                    organization=personas.university)
    enterprise_role = grant_membership(actor=None, user=bystander, role="enterprise",
                                       organization=personas.company)
    people_admins = {"municipal_admin", "institution_admin"}
    # A bystander's API tokens: only the city may revoke them (one per request that may).
    web_token, _key = issue_token(user=bystander, name="web")
    api_token, _key = issue_token(user=bystander, name="api")
    return [
        login_required_page("accounts:user-list", ok=people_admins),
        login_required_page("accounts:user-create", ok=people_admins),
        login_required_page("accounts:user-detail", (personas.manager.pk,), ok=people_admins),
        login_required_page("accounts:user-detail", (personas.enterprise.pk,),
                            ok={"municipal_admin"}),
        login_required_page("accounts:membership-revoke", (enterprise_role.pk,),
                            ok={"municipal_admin"}, ok_status=302, method="post"),
        login_required_page("accounts:membership-revoke", (manager_role.pk,),
                            ok={"institution_admin", "municipal_admin"}, ok_status=302,
                            method="post"),
        Case("core:home", ok=EVERYONE),
        login_required_page("core:notifications"),
        login_required_page("core:notifications-read", method="post", ok_status=302),
        login_required_page("core:import-list"),
        login_required_page("core:import-new", ("organizations",), ok={"municipal_admin"}),
        login_required_page("core:import-template", ("organizations",), ok={"municipal_admin"}),
        login_required_page("core:import-detail", (999999,), ok=()),
        login_required_page("core:import-commit", (999999,), ok=(), method="post"),
        Case("accounts:login", ok=EVERYONE),
        login_required_page("accounts:profile"),
        login_required_page("accounts:password_change"),
        Case("accounts:password_reset", ok=EVERYONE),
        # Without a password: refused before any sign-in attempt, so the matrix's eleven
        # requests do not reach the sign-in lockout (tmhub/accounts/tests/test_lockout.py).
        Case("api-token", method="post", data={"username": "x"}, denied_status=400),
        Case("api-me", ok=frozenset(EVERYONE - {"anonymous"}), denied_status=401),
        login_required_page("accounts:token-list"),
        login_required_page("accounts:token-revoke", (web_token.pk,), ok={"municipal_admin"},
                            ok_status=302, method="post"),
        login_required_page("accounts:lockout-list", ok={"municipal_admin"}),
        login_required_page("accounts:lockout-unlock", ok={"municipal_admin"}, ok_status=302,
                            method="post", data={"kind": "username", "value": "nobody"}),
        Case("api-tokens-list", ok=SIGNED_IN, denied_status=401),
        Case("api-tokens-list", ok={"municipal_admin"}, anon_status=401,
             query=f"user={bystander.pk}"),
        Case("api-tokens-detail", (api_token.pk,), ok={"municipal_admin"}, ok_status=204,
             anon_status=401, method="delete"),
    ]
