"""Permission cases of the training pages and API: every route, every method it accepts, every
persona. Forms are posted empty (refused by the form); steps are chosen so they are refused
(an illegal target, no reason), so the matrix checks who reaches them, not their effect."""

from decimal import Decimal

from django.urls import NoReverseMatch, reverse

from tmhub.core.tests.permission_matrix import (
    EVERYONE,
    SIGNED_IN,
    Case,
    api,
    login_required_page,
)
from tmhub.training import services
from tmhub.training.models import (
    Assessment,
    Certificate,
    Cohort,
    Course,
    Enrolment,
    ExternalHours,
    Instructor,
    Programme,
    Session,
    TrainingProvider,
)
from tmhub.training.tests.helpers import (
    attend_all,
    complete_cohort,
    given_cohort,
    given_manager,
    given_running_cohort,
)

MANAGERS = {"municipal_admin", "institution_admin"}
# Who may see the manager's enrolment and certificate: the city, the provider and employer
# (the university's administrator), the Haidian district officer, the education officer
# (universities) and the manager.
VIEWERS = MANAGERS | {"district_officer", "department_officer", "manager"}
DASHBOARD = MANAGERS | {"district_officer", "department_officer", "health_officer"}


def _scenario(personas):
    cohort, (enrolment,), sessions, exam = given_running_cohort(
        personas, [personas.manager], code="perm"
    )
    attend_all(personas, sessions, [enrolment])
    services.record_scores(exam, {enrolment.pk: Decimal("90")}, actor=personas.municipal_admin)
    certificate = Certificate.objects.get(enrolment=enrolment)
    programme = cohort.programme
    open_cohort = given_cohort(personas, programme, code="perm-open")
    api_cohort = given_cohort(personas, programme, code="perm-api")
    api_list_cohort = given_cohort(personas, programme, code="perm-api-list")
    draft_programme = services.create_programme(
        actor=personas.municipal_admin,
        provider=programme.provider,
        code="perm-draft",
        name_zh="未发布项目",
        level="senior",
        is_published=False,
    )
    draft_cohort = given_cohort(personas, programme, code="perm-draft", open_it=False)
    return (
        cohort,
        enrolment,
        sessions[0],
        exam,
        certificate,
        open_cohort,
        api_cohort,
        api_list_cohort,
        draft_programme,
        draft_cohort,
    )


def cases(personas):
    (
        cohort,
        enrolment,
        session,
        exam,
        certificate,
        open_cohort,
        api_cohort,
        api_list_cohort,
        draft_programme,
        draft_cohort,
    ) = _scenario(personas)
    programme, provider = cohort.programme, cohort.programme.provider
    course = programme.courses.first()
    number = certificate.number
    # Two certificates whose revocation the city asked for: declining without a reason is
    # refused for those who may decide; approving is refused to the city (it asked: four eyes)
    # and taken by the provider's administrator, the last persona who may.
    ui_pending, api_pending = (
        Certificate.objects.get(enrolment=e)
        for e in complete_cohort(
            personas, [given_manager(personas, "rev_ui"), given_manager(personas, "rev_api")],
            "perm-rev", provider=provider,
        )
    )
    for pending in (ui_pending, api_pending):
        services.request_revocation(pending, actor=personas.municipal_admin, reason="重复发证")

    def empty_form(url_name, args=(), ok=MANAGERS, target=None):
        """The form posted empty: those who may use it get it back with errors."""
        return login_required_page(
            url_name, args, ok=ok, method="post", changes=False, target=target
        )

    new_course = {
        "programme": programme.pk,
        "code": "API-1",
        "name_zh": "接口课程",
        "module": "general",
        "hours": "2",
    }
    course_values = {
        "programme": programme.pk,
        "code": course.code,
        "name_zh": course.name_zh,
        "module": course.module,
        "hours": str(course.hours),
    }
    result = [
        Case("training:home", ok=EVERYONE),
        Case("training:programme-detail", (programme,), ok=EVERYONE),
        Case("training:programme-detail", (draft_programme,), ok=MANAGERS),
        login_required_page("training:programme-create", (provider,), ok=MANAGERS),
        empty_form("training:programme-create", (provider,), target=Programme),
        login_required_page("training:programme-edit", (programme,), ok=MANAGERS),
        empty_form("training:programme-edit", (programme,)),
        login_required_page("training:course-create", (programme,), ok=MANAGERS),
        empty_form("training:course-create", (programme,), target=Course),
        login_required_page("training:cohort-create", (programme,), ok=MANAGERS),
        empty_form("training:cohort-create", (programme,), target=Cohort),
        Case("training:course-list", ok=EVERYONE),
        Case("training:course-list", ok=EVERYONE, query="export=xlsx&module=practice"),
        Case("training:course-detail", (course,), ok=EVERYONE),
        login_required_page("training:course-edit", (course,), ok=MANAGERS),
        empty_form("training:course-edit", (course,)),
        Case("training:instructor-list", ok=EVERYONE),
        login_required_page("training:provider-create", ok={"municipal_admin"}),
        empty_form("training:provider-create", ok={"municipal_admin"}, target=TrainingProvider),
        login_required_page("training:instructor-create", (provider,), ok=MANAGERS),
        empty_form("training:instructor-create", (provider,), target=Instructor),
        login_required_page("training:external-hours-create", ok={"institution_admin"}),
        empty_form(
            "training:external-hours-create", ok={"institution_admin"}, target=ExternalHours
        ),
        Case("training:cohort-list", ok=EVERYONE),
        Case("training:cohort-list", ok=EVERYONE, query="export=csv"),
        Case("training:cohort-detail", (open_cohort,), ok=EVERYONE),
        Case("training:cohort-detail", (draft_cohort,), ok=MANAGERS),
        login_required_page("training:cohort-edit", (open_cohort,), ok=MANAGERS),
        empty_form("training:cohort-edit", (open_cohort,)),
        # An illegal step is refused by the workflow: everyone who sees the cohort is sent back.
        login_required_page(
            "training:cohort-transition",
            (open_cohort, "finished"),
            method="post",
            ok_status=302,
            changes=False,
        ),
        login_required_page(
            "training:cohort-transition",
            (draft_cohort, "finished"),
            method="post",
            ok=MANAGERS,
            ok_status=302,
            changes=False,
        ),
        # Everyone signed in may ask for a place (the manager gets one; others are told why not).
        login_required_page(
            "training:cohort-enrol", (open_cohort,), method="post", ok_status=302, target=Enrolment
        ),
        login_required_page("training:cohort-bulk-enrol", (open_cohort,), ok=MANAGERS),
        empty_form("training:cohort-bulk-enrol", (open_cohort,), target=Enrolment),
        login_required_page("training:session-create", (cohort,), ok=MANAGERS),
        empty_form("training:session-create", (cohort,), target=Session),
        login_required_page("training:assessment-create", (cohort,), ok=MANAGERS),
        empty_form("training:assessment-create", (cohort,), target=Assessment),
        login_required_page("training:session-attendance", (session,), ok=MANAGERS),
        # Posted empty: nothing to record, back to the cohort.
        login_required_page(
            "training:session-attendance",
            (session,),
            ok=MANAGERS,
            method="post",
            ok_status=302,
            changes=False,
        ),
        login_required_page("training:assessment-scores", (exam,), ok=MANAGERS),
        login_required_page(
            "training:assessment-scores",
            (exam,),
            ok=MANAGERS,
            method="post",
            ok_status=302,
            changes=False,
        ),
        login_required_page("training:enrolment-list"),
        login_required_page("training:enrolment-list", query="export=xlsx"),
        Case("training:enrolment-detail", (enrolment,), ok=VIEWERS),
        # Already approved (and completed): refused by the workflow for whoever sees it.
        login_required_page(
            "training:enrolment-action",
            (enrolment, "approve"),
            method="post",
            ok=VIEWERS,
            ok_status=302,
            changes=False,
        ),
        # No mentor chosen: refused by the form for those who run the cohort.
        login_required_page(
            "training:mentor-assign",
            (enrolment,),
            method="post",
            ok=MANAGERS,
            ok_status=302,
            changes=False,
        ),
        login_required_page("training:certificate-list"),
        login_required_page("training:certificate-detail", (certificate,), ok=VIEWERS),
        login_required_page("training:certificate-pdf", (certificate,), ok=VIEWERS),
        # No reason given: the revocation is refused for whoever sees the certificate.
        login_required_page(
            "training:certificate-revoke",
            (certificate,),
            method="post",
            ok=VIEWERS,
            ok_status=302,
            changes=False,
        ),
        login_required_page(
            "training:revocation-decline",
            (ui_pending,),
            method="post",
            ok=MANAGERS,
            ok_status=302,
            changes=False,
        ),
        login_required_page(
            "training:revocation-approve",
            (ui_pending,),
            method="post",
            ok=MANAGERS,
            ok_status=302,
        ),
        Case("training:certificate-lookup", ok=EVERYONE),
        Case("training:certificate-verify", (number,), ok=EVERYONE),
        # A number never issued reads as unknown to everyone (not a placeholder: the answer
        # for a forged number is what is under test).
        Case("training:certificate-verify", ("BJTM-2025-J99999-XXXX",), ok=()),
        login_required_page("training:dashboard", ok=DASHBOARD),
        login_required_page("training:dashboard-export", ("progress",), ok=DASHBOARD),
        login_required_page("training:dashboard-export", ("district",), ok=DASHBOARD),
        # API
        api("training-course-list"),
        # The course is created once; the same code again is refused as a duplicate; a
        # programme one does not run reads like a missing one (400).
        api(
            "training-course-list",
            method="post",
            data=new_course,
            ok={"municipal_admin"},
            ok_status=201,
            denied_status=400,
            target=Course,
        ),
        api("training-course-detail", (course,)),
        api(
            "training-course-detail", (course,), method="patch", data={"sort_order": 3}, ok=MANAGERS
        ),
        api("training-course-detail", (course,), method="put", data=course_values, ok=MANAGERS),
        api("training-cohort-list"),
        api("training-cohort-detail", (draft_cohort,), ok=MANAGERS),
        api(
            "training-cohort-enrol",
            (api_cohort,),
            method="post",
            ok={"manager"},
            ok_status=201,
            denied_status=400,
            target=Enrolment,
        ),
        api("training-enrolment-list", ok=SIGNED_IN, anon_status=401),
        api(
            "training-enrolment-list",
            method="post",
            data={"cohort": api_list_cohort.pk},
            ok={"manager"},
            ok_status=201,
            denied_status=400,
            target=Enrolment,
        ),
        api("training-enrolment-detail", (enrolment,), ok=VIEWERS, anon_status=401),
        api("training-enrolment-approve", (enrolment,), method="post", ok=VIEWERS, ok_status=400),
        api("training-enrolment-reject", (enrolment,), method="post", ok=VIEWERS, ok_status=400),
        api("training-enrolment-withdraw", (enrolment,), method="post", ok=VIEWERS, ok_status=400),
        api("training-certificate-list", ok=SIGNED_IN, anon_status=401),
        api("training-certificate-detail", (certificate,), ok=VIEWERS, anon_status=401),
        api(
            "training-certificate-revoke", (certificate,), method="post", ok=VIEWERS, ok_status=400
        ),
        api(
            "training-certificate-decline-revocation",
            (api_pending,),
            method="post",
            ok=MANAGERS,
            ok_status=400,
            anon_status=401,
            changes=False,
        ),
        api(
            "training-certificate-approve-revocation",
            (api_pending,),
            method="post",
            ok=MANAGERS,
            ok_status=200,
            anon_status=401,
            special={"municipal_admin": 400},
        ),
        api("training-certificate-verify", (number,)),
    ]
    try:  # the public /certificates/verify/<n>/ once the project urls mount it
        reverse("certificates:verify", args=[number])
    except NoReverseMatch:
        pass
    else:
        result.append(Case("certificates:verify", (number,), ok=EVERYONE))
    return result
