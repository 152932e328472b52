"""Permission cases of the core and accounts pages."""

from tmhub.core.tests.permission_matrix import EVERYONE, Case, login_required_page


def cases(personas):
    return [
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
        Case("api-token", method="post", data={"username": "x", "password": "y"},
             denied_status=400),
        Case("api-me", ok=frozenset(EVERYONE - {"anonymous"}), denied_status=401),
    ]
