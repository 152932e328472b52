"""Permission cases of the case library (issue 17 item 5), added to the evaluation app's cases
by permission_cases.py.

Records: the landed project of case_helpers (the university's, the manager persona leads it),
a published case, a draft of the manager persona's and a case submitted for the institution's
review. Readers of a case not published: the university's administrator, the manager on the
project and the city; published cases are everyone's. The reviewer persona reviews no case."""

from tmhub.core.tests.permission_matrix import EVERYONE, SIGNED_IN, Case, api, login_required_page
from tmhub.evaluation.case_choices import CaseStatus as C
from tmhub.evaluation.models import CaseConsent, TransferCase
from tmhub.evaluation.services import cases as services
from tmhub.evaluation.tests.case_helpers import NARRATIVE, draft, landed_project, publish

CITY = {"municipal_admin"}
EDITORS = {"manager", "institution_admin", "municipal_admin"}


def _records(personas):
    project = landed_project(personas)
    published = publish(personas, draft(personas, project))
    mine = draft(personas, project, title_zh="草稿案例")
    submitted = services.step_case(draft(personas, project, title_zh="待审案例"), C.SUBMITTED,
                                   actor=personas.manager)
    return project, published, mine, submitted


def cases(personas):
    project, published, mine, submitted = _records(personas)
    new = {"project": project.pk, **NARRATIVE}
    return [
        # The public library and a published case: everyone, signed in or not.
        Case("evaluation:case-list", ok=EVERYONE),
        Case("evaluation:case-list", ok=EVERYONE, query="q=许可&transfer_mode=licence"),
        Case("evaluation:case-detail", (published,), ok=EVERYONE),
        Case("evaluation:case-detail", (mine,), ok=set()),  # a draft is not public
        # Staff pages: the editors of the case (the university's administrator, the
        # project's manager) and the city; the rest get 404.
        login_required_page("evaluation:case-manage-list", ok=SIGNED_IN),
        login_required_page("evaluation:case-manage-list", ok=SIGNED_IN,
                            query="status=draft&q=案例"),
        login_required_page("evaluation:case-create", ok=EDITORS),
        login_required_page("evaluation:case-create", ok=EDITORS, method="post",
                            changes=False, target=TransferCase),
        login_required_page("evaluation:case-manage-detail", (mine,), ok=EDITORS),
        login_required_page("evaluation:case-manage-detail", (published,), ok=EDITORS),
        login_required_page("evaluation:case-edit", (mine,), ok=EDITORS),
        login_required_page("evaluation:case-edit", (mine,), ok=EDITORS, method="post",
                            changes=False),
        login_required_page("evaluation:case-edit", (submitted,), ok=set()),  # under review
        login_required_page("evaluation:case-refresh", (mine,), ok=EDITORS, ok_status=302,
                            method="post"),
        # an illegal step (a draft cannot be published) is refused on the page
        login_required_page("evaluation:case-step", (mine, "published"), ok=EDITORS,
                            ok_status=302, method="post", changes=False),
        login_required_page("evaluation:case-consent", (mine,), ok=EDITORS),
        login_required_page("evaluation:case-consent", (mine,), ok=EDITORS, method="post",
                            changes=False, target=CaseConsent),
        login_required_page("evaluation:case-consent-evidence",
                            (published.consents.first(),), ok=EDITORS, ok_status=404),
        # The API: the same policies.
        api("case-list", ok=EVERYONE),
        api("case-detail", (published,), ok=EVERYONE),
        api("case-detail", (mine,), ok=EDITORS),
        api("case-list", method="post", data={}, ok=SIGNED_IN, ok_status=400,
            target=TransferCase),
        # a project the caller does not see is an unknown project (400), as a missing one
        api("case-list", method="post", data=new, ok=EDITORS, ok_status=201,
            denied_status=400, target=TransferCase),
        api("case-detail", (mine,), method="patch", data={"lessons_zh": "改写的经验。"},
            ok=EDITORS),
        # the drafter's own case: the institution's administrator approves it, nobody else
        api("case-transition", (submitted,), method="post",
            data={"target": C.INSTITUTION_REVIEWED}, ok={"institution_admin"},
            special={"manager": 400, "municipal_admin": 400}),
        api("case-refresh", (mine,), method="post", ok=EDITORS),
        api("case-consents", (mine,), method="post", data={}, ok=EDITORS, ok_status=400,
            target=CaseConsent),
    ]
