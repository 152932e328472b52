"""Settings for the test suite: production settings with test-only secrets and plain HTTP."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("TALENT_ID_KEY", "test-only-talent-id-key-not-for-production-0123456789")
os.environ.setdefault("SECURE_HTTPS", "0")
os.environ.setdefault("TMHUB_PLAIN_STATIC", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from tmhub.settings import *  # noqa: E402,F403

# The suite's threads and live servers must not keep connections open past a test (the test
# database is dropped at the end).
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "0"))  # noqa: F405

# Tests change records by hand (without the audit that moves the data generation) between two
# requests; the page cache has its own tests (tmhub/core/tests/test_page_cache.py).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast test users
# Each test process gets its own media and match-index directories: the SQLite and PostgreSQL
# suites run side by side (make test), and neither may write into the demo's var/.
TEST_RUN_DIR = Path(tempfile.mkdtemp(prefix="tmhub-test-"))
MEDIA_ROOT = TEST_RUN_DIR / "media"
MATCH_INDEX_DIR = TEST_RUN_DIR / "match-index"

# Parallel runs on one PostgreSQL server (several engineers, CI) each need their own test DB.
if os.environ.get("TMHUB_TEST_DB"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TMHUB_TEST_DB"]}  # noqa: F405

# The token endpoint's guessing throttle (20/min) would trip when the whole suite signs in
# through it; its own behaviour is covered by tmhub/accounts/tests/test_throttle.py.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "100000/min"}}  # noqa: F405

# A subscriber that fails is logged in production (the user's change stands); in the suite it
# fails the test, so a broken subscription cannot hide (tmhub.core.events).
EVENTS_RAISE_SUBSCRIBER_ERRORS = True
