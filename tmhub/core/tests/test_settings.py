"""Settings fail closed: no secret key without DEBUG, DEBUG off unless set, bad values refused."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# The test settings module sets development-only values in this process; children must not
# inherit them.
TEST_ONLY = {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_HTTPS", "TMHUB_PLAIN_STATIC",
             "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "TALENT_ID_KEY", "TALENT_ID_OLD_KEYS"}
PRODUCTION_ID_KEY = "prod-id-" + "k3y!" * 10


def _load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c",
         "import tmhub.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE)"],
        cwd=ROOT, env=clean, capture_output=True, text=True,
    )


def test_missing_secret_key_refuses_to_start():
    result = _load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_set_and_cookies_are_secure():
    result = _load_settings(SECRET_KEY="x" * 50, TALENT_ID_KEY=PRODUCTION_ID_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


def test_malformed_boolean_is_refused():
    result = _load_settings(SECRET_KEY="x" * 50, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_check_deploy_is_clean_with_production_values():
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    env.update(SECRET_KEY="prod-" + "k3y!" * 15, TALENT_ID_KEY=PRODUCTION_ID_KEY,
               ALLOWED_HOSTS="tmhub.example.gov.cn")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
