"""Permission cases of every My work page and endpoint: each signed-in persona reads its own
list (what it contains is scoped in test_items and test_scope); anonymous signs in first."""

from tmhub.core.tests.permission_matrix import SIGNED_IN, api, login_required_page


def cases(personas):
    return [
        login_required_page("mywork:home", ok=SIGNED_IN),
        login_required_page("mywork:home", ok=SIGNED_IN, query="due=30&module=transfer"),
        api("my-items", ok=SIGNED_IN, anon_status=401),
    ]
