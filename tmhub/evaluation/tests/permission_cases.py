"""Permission cases of every evaluation page and endpoint, every method, every persona.

The bureau's officer (市人社局) is not one of the matrix's personas: every bureau page is
therefore refused to all of them (404, anonymous sent to sign in); the bureau's own access is
tested in test_applications.py and test_pages.py."""

from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.roles import Role
from tmhub.core.tests.permission_matrix import EVERYONE, SIGNED_IN, Case, api, login_required_page
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import TitleApplication, TitleRound
from tmhub.evaluation.services import applications as services
from tmhub.evaluation.tests.helpers import PASSWORD, advance, bureau_officer, draft

ASK = {"level": "engineer", "direction": "operation", "education": "bachelor",
       "years_since_education": 5, "current_title": "none", "years_in_current_title": 0}


def _colleague(personas, username):
    user = create_user(actor=SYSTEM, username=username, password=PASSWORD,
                       email=f"{username}@example.cn", display_name=username)
    grant_membership(actor=SYSTEM, user=user, role=Role.MANAGER,
                     organization=personas.university)
    return user


def _applications(personas):
    officer = bureau_officer("p_hrss_matrix")
    mine = draft(personas.manager, personas.university)
    walked = {}
    for status in (S.SUBMITTED, S.VOTE, S.RESULT_NOTICE):
        applicant = _colleague(personas, f"p_applicant_{status}")
        application = draft(applicant, personas.university)
        walked[status] = advance(application, status, applicant=applicant,
                                 employer_admin=personas.institution_admin, officer=officer)
    notice = walked[S.RESULT_NOTICE]
    objection = services.record_objection(notice, actor=officer,
                                          received_on=notice.result_notice_start,
                                          text="材料存疑。")
    return mine, walked, objection


def cases(personas):
    mine, walked, objection = _applications(personas)
    submitted, vote, notice = walked[S.SUBMITTED], walked[S.VOTE], walked[S.RESULT_NOTICE]
    applicant_and_city = {"manager", "municipal_admin"}
    employer_and_city = {"institution_admin", "municipal_admin"}
    bureau_only = frozenset()
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
        # Applications: one list, each persona sees its own rows (none for most).
        login_required_page("evaluation:application-list", ok=SIGNED_IN),
        login_required_page("evaluation:application-list", ok=SIGNED_IN,
                            query="status=submitted&q=王"),
        # Only a technology manager applies (for themself).
        login_required_page("evaluation:application-create", ok={"manager"}),
        login_required_page("evaluation:application-create", ok={"manager"}, method="post",
                            changes=False, target=TitleApplication),
        # The draft is the applicant's alone (and the city reads every application).
        Case("evaluation:application-detail", (mine,), ok=applicant_and_city),
        # Submitted: the employer's administrators see it too; the applicant is another
        # technology manager of the institution here, so the manager persona does not.
        Case("evaluation:application-detail", (submitted,), ok=employer_and_city),
        login_required_page("evaluation:application-edit", (mine,), ok={"manager"}),
        login_required_page("evaluation:application-edit", (mine,), ok={"manager"},
                            method="post", changes=False),
        # A step to where the application already stands is refused on the page (302 back
        # with the reason) and changes nothing.
        login_required_page("evaluation:application-step", (mine, S.DRAFT),
                            ok=applicant_and_city, ok_status=302, method="post",
                            changes=False),
        login_required_page("evaluation:application-step", (submitted, S.SUBMITTED),
                            ok=employer_and_city, ok_status=302, method="post",
                            changes=False),
        # The employer returns a submitted application (an empty form: told what is missing).
        login_required_page("evaluation:application-return", (submitted,),
                            ok={"institution_admin"}),
        login_required_page("evaluation:application-return", (submitted,),
                            ok={"institution_admin"}, method="post", changes=False),
        # The bureau's pages: the vote, objections, rounds.
        login_required_page("evaluation:application-vote", (vote,), ok=bureau_only),
        login_required_page("evaluation:application-vote", (vote,), ok=bureau_only,
                            method="post"),
        login_required_page("evaluation:objection-create", (notice,), ok=bureau_only),
        login_required_page("evaluation:objection-create", (notice,), ok=bureau_only,
                            method="post"),
        login_required_page("evaluation:objection-resolve", (objection,), ok=bureau_only),
        login_required_page("evaluation:objection-resolve", (objection,), ok=bureau_only,
                            method="post"),
        login_required_page("evaluation:round-create", ok=bureau_only, target=TitleRound),
        login_required_page("evaluation:round-create", ok=bureau_only, method="post",
                            target=TitleRound),
    ]
