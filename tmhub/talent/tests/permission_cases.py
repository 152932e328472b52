"""Permission cases of the talent pool: every page and endpoint, every persona."""

import datetime

from tmhub.core.tests.permission_matrix import EVERYONE, SIGNED_IN, Case, login_required_page
from tmhub.talent import filing, registration
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.tests.helpers import make_profile, register, resident_id


def _data(personas):
    registered = make_profile(personas.manager, employer=personas.university,
                              district=personas.haidian, id_number=resident_id(501))
    reg = register(registered, employer_admin=personas.institution_admin,
                   municipal=personas.municipal_admin)
    other = make_profile(employer=personas.other_university, district=personas.chaoyang,
                         id_number=resident_id(502), name="王芳")
    draft = registration.start_registration(actor=other.user, profile=other)
    filing.open_filings(datetime.date.today().year - 1, actor=personas.municipal_admin)
    return registered, reg, other, draft


def cases(personas):
    registered, reg, other, draft = _data(personas)
    manager_filing = reg.filings.get()
    reg_viewers = {"municipal_admin", "department_officer", "district_officer",
                   "institution_admin", "manager"}
    other_viewers = {"municipal_admin", "department_officer"}
    editors = {"municipal_admin", "institution_admin", "manager"}
    return [
        Case("talent:directory", ok=EVERYONE),
        Case("talent:directory", ok=EVERYONE, query="q=人工智能&level=intermediate"),
        Case("talent:institution-directory", ok=EVERYONE),
        Case("talent:signup", ok={"anonymous"}, denied_status=302),
        login_required_page("talent:my-profile", ok=SIGNED_IN - {"manager"},
                            denied_status=302),
        Case("talent:manager-detail", (registered.pk,), ok=EVERYONE),
        Case("talent:manager-detail", (other.pk,), ok=other_viewers),
        login_required_page("talent:manager-edit", (registered.pk,), ok=editors),
        login_required_page("talent:manager-edit", (other.pk,), ok={"municipal_admin"}),
        Case("talent:manager-photo", (registered.pk,), ok=frozenset()),
        login_required_page("talent:manager-reveal-id", (registered.pk,),
                            ok={"municipal_admin"}, method="post", data={"reason": "核验"}),
        # An active registration exists: allowed people are redirected with the refusal.
        login_required_page("talent:registration-start", (registered.pk,), ok=editors,
                            ok_status=302, method="post"),
        login_required_page("talent:people-list", ok=SIGNED_IN),
        login_required_page("talent:people-list", ok=SIGNED_IN, query="export=csv"),
        login_required_page("talent:registration-list", ok=SIGNED_IN),
        login_required_page("talent:registration-list", ok=SIGNED_IN, query="export=xlsx"),
        login_required_page("talent:registration-detail", (reg.pk,), ok=reg_viewers),
        login_required_page("talent:registration-detail", (draft.pk,), ok=other_viewers),
        login_required_page("talent:review-queue", ok={"municipal_admin"}),
        login_required_page("talent:bulk-approve", ok={"municipal_admin"}, ok_status=302,
                            method="post", data={"ids": [draft.pk]}),
        login_required_page("talent:filing-list", ok=SIGNED_IN),
        login_required_page("talent:filing-detail", (manager_filing.pk,), ok=reg_viewers),
        login_required_page("talent:filing-open", ok={"municipal_admin"}, ok_status=302,
                            method="post", data={"year": "2023"}),
        # Illegal step: visible people are told so (redirect with the message), others 404.
        login_required_page("talent:registration-transition", (reg.pk, S.DRAFT),
                            ok=reg_viewers, ok_status=302, method="post"),
        # API
        Case("manager-list", ok=EVERYONE),
        Case("manager-list", ok=EVERYONE, query="q=artificial&field=1"),
        Case("manager-detail", (registered.pk,), ok=EVERYONE),
        Case("manager-detail", (other.pk,), ok=other_viewers),
        Case("registration-list", ok=SIGNED_IN, anon_status=401),
        Case("registration-detail", (reg.pk,), ok=reg_viewers, anon_status=401),
        Case("registration-detail", (draft.pk,), ok=other_viewers, anon_status=401),
        # A profile one may not register reads like a missing one: 400 for everyone.
        Case("registration-list", method="post", data={"profile": other.pk},
             denied_status=400, anon_status=401),
        Case("registration-transition", (reg.pk,), method="post", data={"target": "draft"},
             ok=reg_viewers, ok_status=400, anon_status=401),
    ]
