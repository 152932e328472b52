"""Permission cases of external training certificates (levels from certificates): pages and
API, every method, every persona. Added to the talent cases by `permission_cases.cases`."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tmhub.core.tests.permission_matrix import SIGNED_IN, api, login_required_page
from tmhub.talent import levels
from tmhub.talent.credentials import ExternalCertificate
from tmhub.talent.models import ManagerProfile


def level_cases(personas):
    profile = ManagerProfile.objects.get(user=personas.manager)
    certificate = levels.record_external_certificate(
        actor=personas.manager, profile=profile, issuer="中国科学技术交流中心", level="senior",
        number="CASTEM-2024-0099", issued_on=datetime.date(2024, 6, 30),
        evidence=SimpleUploadedFile("certificate.pdf", b"%PDF-1.4\n%%EOF\n"))
    viewers = {"municipal_admin", "institution_admin", "manager"}
    return [
        login_required_page("talent:credential-add", (profile,), ok=viewers),
        # Posted empty: the form refuses it for those who may record one.
        login_required_page("talent:credential-add", (profile,), ok=viewers, method="post",
                            changes=False, target=ExternalCertificate),
        login_required_page("talent:credential-list", ok=SIGNED_IN),
        login_required_page("talent:credential-detail", (certificate,), ok=viewers),
        login_required_page("talent:credential-evidence", (certificate,), ok=viewers),
        # Only the city verifies (and not a certificate it recorded itself).
        login_required_page("talent:credential-transition", (certificate, "verified"),
                            ok={"municipal_admin"}, ok_status=302, method="post"),
        api("credential-list", ok=SIGNED_IN, anon_status=401),
        # Without evidence (JSON), or for a profile one may not record for: 400 for everyone.
        api("credential-list", method="post", data={"profile": profile.pk}, ok=(),
            denied_status=400, target=ExternalCertificate),
        api("credential-detail", (certificate,), ok=viewers, anon_status=401),
        api("credential-evidence", (certificate,), ok=viewers, anon_status=401),
        api("credential-transition", (certificate,), method="post", data={"target": "pending"},
            ok={"municipal_admin"}, ok_status=400),
    ]
