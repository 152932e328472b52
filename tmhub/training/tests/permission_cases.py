"""Permission cases of the training pages and API (every URL × every persona)."""

from decimal import Decimal

from django.urls import NoReverseMatch, reverse

from tmhub.core.tests.permission_matrix import (
    EVERYONE,
    SIGNED_IN,
    Case,
    login_required_page,
)
from tmhub.training import services
from tmhub.training.models import Certificate
from tmhub.training.tests.helpers import (
    attend_all,
    given_cohort,
    given_running_cohort,
)

MANAGERS = {"municipal_admin", "institution_admin"}
# Who may see the manager's enrolment and certificate: the city, the provider and employer
# (the university's administrator), the Haidian district officer, the education officer
# (universities) and the manager.
VIEWERS = MANAGERS | {"district_officer", "department_officer", "manager"}
DASHBOARD = MANAGERS | {"district_officer", "department_officer", "health_officer"}


def _scenario(personas):
    cohort, (enrolment,), sessions, exam = given_running_cohort(personas, [personas.manager],
                                                                code="perm")
    attend_all(personas, sessions, [enrolment])
    services.record_scores(exam, {enrolment.pk: Decimal("90")}, actor=personas.municipal_admin)
    certificate = Certificate.objects.get(enrolment=enrolment)
    programme = cohort.programme
    open_cohort = given_cohort(personas, programme, code="perm-open")
    api_cohort = given_cohort(personas, programme, code="perm-api")
    draft_programme = services.create_programme(
        actor=personas.municipal_admin, provider=programme.provider, code="perm-draft",
        name_zh="未发布项目", level="senior", is_published=False)
    draft_cohort = given_cohort(personas, programme, code="perm-draft", open_it=False)
    return (cohort, enrolment, sessions[0], exam, certificate, open_cohort, api_cohort,
            draft_programme, draft_cohort)


def cases(personas):
    (cohort, enrolment, session, exam, certificate, open_cohort, api_cohort, draft_programme,
     draft_cohort) = _scenario(personas)
    programme, provider = cohort.programme, cohort.programme.provider
    course = programme.courses.first()
    number = certificate.number
    result = [
        Case("training:home", ok=EVERYONE),
        Case("training:programme-detail", (programme.pk,), ok=EVERYONE),
        Case("training:programme-detail", (draft_programme.pk,), ok=MANAGERS),
        login_required_page("training:programme-create", (provider.pk,), ok=MANAGERS),
        login_required_page("training:programme-edit", (programme.pk,), ok=MANAGERS),
        login_required_page("training:course-create", (programme.pk,), ok=MANAGERS),
        login_required_page("training:cohort-create", (programme.pk,), ok=MANAGERS),
        Case("training:course-list", ok=EVERYONE),
        Case("training:course-list", ok=EVERYONE, query="export=xlsx&module=practice"),
        Case("training:course-detail", (course.pk,), ok=EVERYONE),
        login_required_page("training:course-edit", (course.pk,), ok=MANAGERS),
        Case("training:instructor-list", ok=EVERYONE),
        login_required_page("training:provider-create", ok={"municipal_admin"}),
        login_required_page("training:instructor-create", (provider.pk,), ok=MANAGERS),
        login_required_page("training:external-hours-create", ok={"institution_admin"}),
        Case("training:cohort-list", ok=EVERYONE),
        Case("training:cohort-list", ok=EVERYONE, query="export=csv"),
        Case("training:cohort-detail", (open_cohort.pk,), ok=EVERYONE),
        Case("training:cohort-detail", (draft_cohort.pk,), ok=MANAGERS),
        login_required_page("training:cohort-edit", (open_cohort.pk,), ok=MANAGERS),
        # An illegal step is refused by the workflow: everyone who sees the cohort is sent back.
        login_required_page("training:cohort-transition", (open_cohort.pk, "finished"),
                            method="post", ok_status=302),
        login_required_page("training:cohort-transition", (draft_cohort.pk, "finished"),
                            method="post", ok=MANAGERS, ok_status=302),
        login_required_page("training:cohort-enrol", (open_cohort.pk,), method="post",
                            ok_status=302),
        login_required_page("training:cohort-bulk-enrol", (open_cohort.pk,), ok=MANAGERS),
        login_required_page("training:session-create", (cohort.pk,), ok=MANAGERS),
        login_required_page("training:assessment-create", (cohort.pk,), ok=MANAGERS),
        login_required_page("training:session-attendance", (session.pk,), ok=MANAGERS),
        login_required_page("training:assessment-scores", (exam.pk,), ok=MANAGERS),
        login_required_page("training:enrolment-list"),
        login_required_page("training:enrolment-list", query="export=xlsx"),
        Case("training:enrolment-detail", (enrolment.pk,), ok=VIEWERS),
        login_required_page("training:enrolment-action", (enrolment.pk, "approve"),
                            method="post", ok=VIEWERS, ok_status=302),
        login_required_page("training:mentor-assign", (enrolment.pk,), method="post",
                            ok=MANAGERS, ok_status=302),
        login_required_page("training:certificate-list"),
        login_required_page("training:certificate-detail", (certificate.pk,), ok=VIEWERS),
        login_required_page("training:certificate-pdf", (certificate.pk,), ok=VIEWERS),
        login_required_page("training:certificate-revoke", (certificate.pk,), method="post",
                            ok=VIEWERS, ok_status=302),
        Case("training:certificate-lookup", ok=EVERYONE),
        Case("training:certificate-verify", (number,), ok=EVERYONE),
        Case("training:certificate-verify", ("BJTM-2025-J99999-XXXX",), ok=()),
        login_required_page("training:dashboard", ok=DASHBOARD),
        login_required_page("training:dashboard-export", ("progress",), ok=DASHBOARD),
        login_required_page("training:dashboard-export", ("district",), ok=DASHBOARD),
        # API
        Case("training-course-list", ok=EVERYONE),
        Case("training-course-detail", (course.pk,), ok=EVERYONE),
        Case("training-course-detail", (course.pk,), method="patch", data={"sort_order": 3},
             ok=MANAGERS, anon_status=401),
        Case("training-cohort-list", ok=EVERYONE),
        Case("training-cohort-detail", (draft_cohort.pk,), ok=MANAGERS),
        Case("training-cohort-enrol", (api_cohort.pk,), method="post", ok={"manager"},
             ok_status=201, denied_status=400, anon_status=401),
        Case("training-enrolment-list", ok=SIGNED_IN, anon_status=401),
        Case("training-enrolment-detail", (enrolment.pk,), ok=VIEWERS, anon_status=401),
        Case("training-enrolment-approve", (enrolment.pk,), method="post", ok=VIEWERS,
             ok_status=400, anon_status=401),
        Case("training-enrolment-reject", (enrolment.pk,), method="post", ok=VIEWERS,
             ok_status=400, anon_status=401),
        Case("training-enrolment-withdraw", (enrolment.pk,), method="post", ok=VIEWERS,
             ok_status=400, anon_status=401),
        Case("training-certificate-list", ok=SIGNED_IN, anon_status=401),
        Case("training-certificate-detail", (certificate.pk,), ok=VIEWERS, anon_status=401),
        Case("training-certificate-revoke", (certificate.pk,), method="post", ok=VIEWERS,
             ok_status=400, anon_status=401),
        Case("training-certificate-verify", (number,), ok=EVERYONE),
    ]
    try:  # the public /certificates/verify/<n>/ once the project urls mount it
        reverse("certificates:verify", args=[number])
    except NoReverseMatch:
        pass
    else:
        result.append(Case("certificates:verify", (number,), ok=EVERYONE))
    return result
