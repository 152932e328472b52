"""Permission cases of the talent pool: every page and endpoint, every method it accepts, every
persona."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tmhub.accounts.models import User
from tmhub.accounts.services import create_user
from tmhub.core.actors import SYSTEM
from tmhub.core.tests.permission_matrix import (
    EVERYONE,
    SIGNED_IN,
    Case,
    api,
    login_required_page,
)
from tmhub.talent import documents, filing, registration
from tmhub.talent.choices import RegistrationStatus as S
from tmhub.talent.models import ManagerProfile, ManagerRegistration, RegistrationDocument
from tmhub.talent.tests.helpers import make_profile, register, resident_id
from tmhub.talent.tests.permission_cases_levels import level_cases


def _photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 5), "gray").save(out, format="PNG")
    return SimpleUploadedFile("photo.png", out.getvalue(), content_type="image/png")


def _data(personas):
    registered = make_profile(
        personas.manager,
        employer=personas.university,
        district=personas.haidian,
        id_number=resident_id(501),
        photo=_photo(),
    )
    # A supporting document, attached while the application was a draft.
    reg = register(
        registered,
        employer_admin=personas.institution_admin,
        municipal=personas.municipal_admin,
        upto=S.DRAFT,
    )
    document = documents.add_document(
        reg,
        actor=personas.manager,
        kind="degree",
        upload=SimpleUploadedFile("degree.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    for target, actor in [
        (S.SUBMITTED, personas.manager),
        (S.ENDORSED, personas.institution_admin),
        (S.UNDER_REVIEW, personas.municipal_admin),
        (S.REGISTERED, personas.municipal_admin),
    ]:
        reg = registration.transition_registration(reg, target, actor=actor)
    other_user = create_user(actor=SYSTEM, username="p_other_manager", password=None)
    other = make_profile(
        other_user,
        employer=personas.other_university,
        district=personas.chaoyang,
        id_number=resident_id(502),
        name="王芳",
    )
    draft = registration.start_registration(actor=other.user, profile=other)
    filing.open_filings(timezone.localdate().year - 1, actor=personas.municipal_admin)
    return registered, reg, other, draft, document


def cases(personas):
    registered, reg, other, draft, document = _data(personas)
    document_readers = {"municipal_admin", "institution_admin", "manager"}
    manager_filing = reg.filings.get()
    reg_viewers = {
        "municipal_admin",
        "department_officer",
        "district_officer",
        "institution_admin",
        "manager",
    }
    other_viewers = {"municipal_admin", "department_officer"}
    editors = {"municipal_admin", "institution_admin", "manager"}
    return [
        Case("talent:directory", ok=EVERYONE),
        Case("talent:directory", ok=EVERYONE, query="q=人工智能&level=intermediate"),
        Case("talent:institution-directory", ok=EVERYONE),
        Case("talent:signup", ok={"anonymous"}, denied_status=302),
        # Posted empty: the form refuses it; signed-in people are sent to their profile.
        Case(
            "talent:signup",
            ok={"anonymous"},
            denied_status=302,
            method="post",
            changes=False,
            target=User,
        ),
        login_required_page("talent:my-profile", ok=SIGNED_IN - {"manager"}, denied_status=302),
        login_required_page(
            "talent:my-profile",
            ok=SIGNED_IN - {"manager"},
            denied_status=302,
            method="post",
            changes=False,
            target=ManagerProfile,
        ),
        Case("talent:manager-detail", (registered,), ok=EVERYONE),
        Case("talent:manager-detail", (other,), ok=other_viewers),
        login_required_page("talent:manager-edit", (registered,), ok=editors),
        login_required_page(
            "talent:manager-edit", (registered,), ok=editors, method="post", changes=False
        ),
        login_required_page("talent:manager-edit", (other,), ok={"municipal_admin"}),
        Case("talent:manager-photo", (registered,), ok=EVERYONE),
        Case("talent:manager-photo", (other,), ok=()),  # a profile without a photo
        login_required_page(
            "talent:manager-reveal-id",
            (registered,),
            ok={"municipal_admin"},
            method="post",
            data={"reason": "核验"},
        ),
        # An active registration exists: allowed people are redirected with the refusal.
        login_required_page(
            "talent:registration-start",
            (registered,),
            ok=editors,
            ok_status=302,
            method="post",
            changes=False,
            target=ManagerRegistration,
        ),
        login_required_page("talent:people-list", ok=SIGNED_IN),
        login_required_page("talent:people-list", ok=SIGNED_IN, query="export=csv"),
        login_required_page("talent:registration-list", ok=SIGNED_IN),
        login_required_page("talent:registration-list", ok=SIGNED_IN, query="export=xlsx"),
        login_required_page("talent:registration-detail", (reg,), ok=reg_viewers),
        login_required_page("talent:registration-detail", (draft,), ok=other_viewers),
        login_required_page("talent:review-queue", ok={"municipal_admin"}),
        # A draft is not among the reviewable ones: the city is told, nothing approved.
        login_required_page(
            "talent:bulk-approve",
            ok={"municipal_admin"},
            ok_status=302,
            method="post",
            data={"ids": [draft.pk]},
            changes=False,
            target=draft,
        ),
        login_required_page("talent:filing-list", ok=SIGNED_IN),
        login_required_page("talent:filing-detail", (manager_filing,), ok=reg_viewers),
        # The filing form posted empty: refused by the form for those who may file it.
        login_required_page(
            "talent:filing-detail",
            (manager_filing,),
            ok={"municipal_admin", "institution_admin", "manager"},
            method="post",
            changes=False,
        ),
        login_required_page(
            "talent:filing-open",
            ok={"municipal_admin"},
            ok_status=302,
            method="post",
            data={"year": "2023"},
        ),
        # Illegal step: visible people are told so (redirect with the message), others 404.
        login_required_page(
            "talent:registration-transition",
            (reg, S.DRAFT),
            ok=reg_viewers,
            ok_status=302,
            method="post",
            changes=False,
        ),
        # Supporting documents: read by the applicant, the employer and the city; a registered
        # application takes no new document and loses none.
        login_required_page("talent:registration-document", (document,), ok=document_readers),
        login_required_page(
            "talent:registration-document-add",
            (reg,),
            ok=(),
            method="post",
            target=RegistrationDocument,
        ),
        login_required_page(
            "talent:registration-document-remove", (document,), ok=(), method="post"
        ),
        # API
        api("registration-documents", (reg,), ok=reg_viewers, anon_status=401),
        api("registration-documents", (reg,), ok=(), method="post", target=RegistrationDocument),
        api(
            "registration-document-file",
            (reg, document),
            ok=document_readers,
            anon_status=401,
            target=document,
        ),
        api("manager-list"),
        api("manager-list", query="q=artificial&field=1"),
        api("manager-detail", (registered,)),
        api("manager-detail", (other,), ok=other_viewers),
        api("registration-list", ok=SIGNED_IN, anon_status=401),
        api("registration-detail", (reg,), ok=reg_viewers, anon_status=401),
        api("registration-detail", (draft,), ok=other_viewers, anon_status=401),
        # A profile one may not register reads like a missing one: 400 for everyone.
        api(
            "registration-list",
            method="post",
            data={"profile": other.pk},
            ok=(),
            denied_status=400,
            target=ManagerRegistration,
        ),
        api(
            "registration-transition",
            (reg,),
            method="post",
            data={"target": "draft"},
            ok=reg_viewers,
            ok_status=400,
        ),
    ] + level_cases(personas)
