"""Permission cases of every evaluation page and endpoint, every method, every persona.

The bureau's officer (市人社局) is not one of the matrix's personas: every bureau page is
therefore refused to all of them (404, anonymous sent to sign in); the bureau's own access is
tested in test_applications.py and test_pages.py."""

from tmhub.accounts.services import create_user, grant_membership
from tmhub.core.actors import SYSTEM
from tmhub.core.roles import Role
from tmhub.core.tests.permission_matrix import EVERYONE, SIGNED_IN, Case, api, login_required_page
from tmhub.evaluation.choices import ApplicationStatus as S
from tmhub.evaluation.models import (
    PanelMember,
    RepresentativeWork,
    ReviewAssignment,
    TitleApplication,
    TitleExpert,
    TitlePanel,
    TitleRound,
)
from tmhub.evaluation.services import applications as services
from tmhub.evaluation.tests.helpers import PASSWORD, advance, bureau_officer, draft
from tmhub.evaluation.tests.permission_cases_cases import cases as case_cases
from tmhub.evaluation.tests.permission_cases_rating_use import cases as rating_use_cases
from tmhub.evaluation.tests.permission_cases_ratings import cases as rating_cases
from tmhub.evaluation.tests.permission_cases_spotlight import cases as spotlight_cases

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
    for status in (S.SUBMITTED, S.VOTE, S.RESULT_NOTICE, S.APPROVED):
        applicant = _colleague(personas, f"p_applicant_{status}")
        application = draft(applicant, personas.university)
        walked[status] = advance(application, status, applicant=applicant,
                                 employer_admin=personas.institution_admin, officer=officer)
    notice = walked[S.RESULT_NOTICE]
    objection = services.record_objection(notice, actor=officer,
                                          received_on=notice.result_notice_start,
                                          text="材料存疑。")
    return mine, walked, objection


def _review_records(personas, mine, walked):
    """A work of the draft (uploaded), a panel with the reviewer persona as a member, and an
    application under panel review assigned to them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tmhub.evaluation.models import TitleApplication
    from tmhub.evaluation.services import panels
    from tmhub.evaluation.services import works as work_services

    def upload():
        return SimpleUploadedFile("证明.pdf", b"%PDF-1.4 x", content_type="application/pdf")

    work = work_services.add_uploaded_work(mine, actor=personas.manager, kind="paper",
                                           title="论文", role="lead", upload=upload())
    removable = work_services.add_uploaded_work(mine, actor=personas.manager, kind="award",
                                                title="奖项", role="lead", upload=upload())
    officer = bureau_officer("p_hrss_matrix")
    applicant = _colleague(personas, "p_applicant_review")
    under_review = advance(draft(applicant, personas.university), S.PANEL_REVIEW,
                           applicant=applicant, employer_admin=personas.institution_admin,
                           officer=officer)
    panel = panels.panel_for(walked[S.VOTE])
    expert = panels.add_expert(actor=officer, user=personas.reviewer, full_name="孙评审",
                               institution=personas.hospital)
    member = panels.add_member(panel, actor=officer, expert=expert)
    review = panels.assign_reviewer(under_review, actor=officer, expert=expert)
    assert TitleApplication.objects.filter(pk=under_review.pk, status=S.PANEL_REVIEW).exists()
    return work, removable, panel, member, under_review, review


def cases(personas):
    # The rating cases first: they register the manager persona with a complete profile,
    # which the title applications then reuse (the other way round, the draft's minimal
    # profile cannot be registered).
    ratings = rating_cases(personas)
    mine, walked, objection = _applications(personas)
    work, removable, panel, member, under_review, review = _review_records(
        personas, mine, walked)
    submitted, vote, notice = walked[S.SUBMITTED], walked[S.VOTE], walked[S.RESULT_NOTICE]
    approved = walked[S.APPROVED]
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
        # Revoking an approved title is the bureau's (the employer and the city read the
        # application, yet may not revoke it: 404 like everyone else).
        login_required_page("evaluation:application-revoke", (approved,), ok=bureau_only),
        login_required_page("evaluation:application-revoke", (approved,), ok=bureau_only,
                            method="post", data={"reason": "材料造假。"}),
        login_required_page("evaluation:round-create", ok=bureau_only, target=TitleRound),
        login_required_page("evaluation:round-create", ok=bureau_only, method="post",
                            target=TitleRound),
        # Representative works and the dossier: the applicant changes the list of a draft;
        # the application's readers read the evidence and the dossier.
        login_required_page("evaluation:work-add", (mine,), ok={"manager"}),
        login_required_page("evaluation:work-add", (mine,), ok={"manager"}, method="post",
                            changes=False, target=RepresentativeWork),
        login_required_page("evaluation:work-evidence", (work,), ok=applicant_and_city),
        login_required_page("evaluation:application-dossier", (mine,), ok=applicant_and_city),
        login_required_page("evaluation:application-dossier", (under_review,),
                            ok={"reviewer", "institution_admin", "municipal_admin"}),
        login_required_page("evaluation:work-remove", (removable,), ok={"manager"},
                            ok_status=302, method="post", target=RepresentativeWork),
        # Panels, the pool and assignment: the bureau's; a member reads their panel.
        login_required_page("evaluation:panel-list", ok=SIGNED_IN),
        login_required_page("evaluation:panel-list", ok=SIGNED_IN, query="q=评审"),
        login_required_page("evaluation:panel-detail", (panel,),
                            ok={"reviewer", "municipal_admin"}),
        login_required_page("evaluation:panel-detail", (panel,), ok=bureau_only,
                            method="post"),
        login_required_page("evaluation:panel-create", ok=bureau_only, target=TitlePanel),
        login_required_page("evaluation:panel-create", ok=bureau_only, method="post",
                            target=TitlePanel),
        login_required_page("evaluation:member-remove", (member,), ok=bureau_only,
                            method="post", target=PanelMember),
        login_required_page("evaluation:expert-list", ok=SIGNED_IN),
        login_required_page("evaluation:expert-create", ok=bureau_only, target=TitleExpert),
        login_required_page("evaluation:expert-create", ok=bureau_only, method="post",
                            target=TitleExpert),
        login_required_page("evaluation:application-assign", (under_review,), ok=bureau_only,
                            method="post", target=ReviewAssignment),
        login_required_page("evaluation:application-conflict", (under_review,),
                            ok=bureau_only),
        login_required_page("evaluation:application-conflict", (under_review,),
                            ok=bureau_only, method="post"),
        # Reviews: the reviewer's own (and the city's to read); scores and a conflict are the
        # reviewer's (an empty form: told what is missing, nothing changes).
        login_required_page("evaluation:review-list", ok=SIGNED_IN),
        login_required_page("evaluation:review-detail", (review,),
                            ok={"reviewer", "municipal_admin"}),
        login_required_page("evaluation:review-detail", (review,), ok={"reviewer"},
                            method="post", changes=False),
        login_required_page("evaluation:review-conflict", (review,), ok={"reviewer"},
                            ok_status=302, method="post", changes=False),
        Case("evaluation:application-detail", (under_review,),
             ok={"reviewer", "institution_admin", "municipal_admin"}),
        # Results: the public notice and verification; the pass rates for the city.
        Case("evaluation:notice-list", ok=EVERYONE),
        Case("evaluation:notice-list", ok=EVERYONE, query="level=engineer"),
        Case("evaluation:title-lookup", ok=EVERYONE),
        Case("evaluation:title-verify", ("BJJJ-2026-E00001-AAAA",), ok=EVERYONE,
             ok_status=404),
        Case("evaluation:pass-rates", ok={"municipal_admin"}),
        # The API: the same policies.
        api("title-application-list", ok=SIGNED_IN, anon_status=401),
        api("title-application-detail", (mine,), ok=applicant_and_city, anon_status=401),
        api("title-application-detail", (under_review,),
            ok={"reviewer", "institution_admin", "municipal_admin"}, anon_status=401),
        api("title-application-list", method="post", data={}, ok=SIGNED_IN, ok_status=400,
            target=TitleApplication),
        api("title-application-detail", (mine,), method="patch", data={"summary": "改写"},
            ok={"manager"}),
        api("title-application-transition", (mine,), method="post",
            data={"target": "approved"}, ok=applicant_and_city, ok_status=400, changes=False),
        api("title-application-return-for-changes", (submitted,), method="post",
            data={"comments": {}}, ok={"institution_admin"}, ok_status=400),
        api("title-application-vote", (vote,), method="post", data={}, ok=bureau_only),
        api("title-application-assign", (under_review,), method="post",
            data={"expert": 999999}, ok=bureau_only),
        api("title-application-revoke", (approved,), method="post",
            data={"reason": "材料造假。"}, ok=bureau_only),
        api("title-panel-list", ok=SIGNED_IN, anon_status=401),
        api("title-panel-detail", (panel,), ok={"reviewer", "municipal_admin"},
            anon_status=401),
        api("title-panel-list", method="post", data={}, ok=SIGNED_IN, ok_status=400,
            target=TitlePanel),
        api("title-panel-members", (panel,), method="post", data={"expert": 999999},
            ok=bureau_only),
        api("evaluation-title-verify", ("BJJJ-2026-E00001-AAAA",), ok=EVERYONE,
            ok_status=404),
        api("title-review-list", ok=SIGNED_IN, anon_status=401),
        api("title-review-detail", (review,), ok={"reviewer", "municipal_admin"},
            anon_status=401),
        api("title-review-scores", (review,), method="post", data={"scores": {}},
            ok={"reviewer"}, ok_status=400),
        api("title-review-conflict", (review,), method="post", data={}, ok={"reviewer"},
            ok_status=400),
        *ratings,  # social evaluation (issue 17)
        *rating_use_cases(personas, mine),  # the use of its results (issue 17 item 4)
        *case_cases(personas),  # the case library (issue 17 item 5)
        *spotlight_cases(personas),  # spotlight and talent-programme nominations
    ]
