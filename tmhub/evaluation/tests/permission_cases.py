"""Permission cases of every evaluation page and endpoint, every method, every persona."""

from tmhub.core.tests.permission_matrix import EVERYONE, Case, api

ASK = {"level": "engineer", "direction": "operation", "education": "bachelor",
       "years_since_education": 5, "current_title": "none", "years_in_current_title": 0}


def cases(personas):
    return [
        # Public: the eligibility check is offered before anyone signs in or applies.
        Case("evaluation:home", ok=EVERYONE),
        Case("evaluation:home", ok=EVERYONE, query="level=engineer&direction=research"
             "&education=master&years_since_education=2&current_title=none"),
        # Only GET is accepted: any other method is 405 for everyone.
        Case("evaluation:home", method="post", ok=EVERYONE, ok_status=405, changes=False),
        api("evaluation-title-eligibility", method="post", data=ASK, ok=EVERYONE,
            changes=False),
        api("evaluation-title-eligibility", method="post", data={"level": "x"}, ok=EVERYONE,
            ok_status=400, changes=False),
    ]
