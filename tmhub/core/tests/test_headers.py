"""Security headers: a Content-Security-Policy without inline scripts on every page, the
templates it relies on (no inline script, no on*= handler), Referrer-Policy, nosniff, frame
denial, HSTS behind a TLS proxy, and `check --deploy` clean with production settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

from conftest import client_for

ROOT = Path(settings.BASE_DIR)
PAGES = ["/", "/orgs/", "/talent/", "/training/", "/accounts/login/", "/api/docs/"]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_given_any_page_then_the_csp_allows_scripts_only_from_our_own_files(url):
    response = Client().get(url)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


@pytest.mark.django_db
def test_given_a_signed_in_page_then_every_header_is_there(personas):
    response = client_for(personas.municipal_admin).get("/accounts/people/")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_given_the_swagger_page_then_its_start_up_script_is_a_file_of_ours():
    page = Client().get("/api/docs/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts)
    assert Client().get("/api/docs/?script=").status_code == 200


def _templates():
    return [p for p in (ROOT / "tmhub").rglob("templates/**/*.html")]


def test_no_template_has_an_inline_script_or_an_inline_handler():
    """The CSP refuses inline scripts: a <script> with a body (other than a JSON data block)
    or an on*= attribute would silently stop working in the browser."""
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", text, flags=re.S):
            if body.strip() and "application/json" not in attrs:
                offenders.append(f"{path.relative_to(ROOT)}: inline <script>")
        for handler in re.findall(r"<[^>]*\son[a-z]+\s*=", text):
            offenders.append(f"{path.relative_to(ROOT)}: {handler[-20:]}")
        if "javascript:" in text:
            offenders.append(f"{path.relative_to(ROOT)}: javascript: URL")
    assert offenders == []


@pytest.mark.django_db
@override_settings(
    SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True, SECURE_HSTS_PRELOAD=True
)
def test_given_tls_at_the_proxy_then_hsts_is_sent_and_never_over_plain_http():
    behind_tls = Client().get("/orgs/", HTTP_X_FORWARDED_PROTO="https")
    assert behind_tls["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "Strict-Transport-Security" not in Client().get("/orgs/")


def test_given_production_settings_then_check_deploy_is_clean(tmp_path):
    env = {
        # Not DJANGO_ALLOW_ASYNC_UNSAFE: the browser test modules set it for live_server, and
        # check --deploy refuses it (async.E001) as a production server should.
        **{k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "SECURE_HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DJANGO_SETTINGS_MODULE": "tmhub.settings",
        "DEBUG": "0",
        "SECRET_KEY": "check-deploy-" + "9f3a" * 16,
        "TALENT_ID_KEY": "check-deploy-id-" + "7c1e" * 16,
        "ALLOWED_HOSTS": "tmhub.example.gov.cn",
        "TMHUB_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
