"""ID-number keys fail closed (issue 10, item 6): required outside development, never
SECRET_KEY, rotated with a list of keys and `rotate_id_key`; a number no key decrypts is an
error, never an empty string."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from conftest import client_for
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.talent import protection, services
from tmhub.talent.models import ManagerProfile
from tmhub.talent.tests.helpers import make_profile, resident_id

ROOT = Path(__file__).resolve().parents[3]
OLD_KEY = "old-talent-id-key-for-the-rotation-test-0123456789"
NEW_KEY = "new-talent-id-key-for-the-rotation-test-9876543210"
LOST_KEY = "a-key-that-encrypted-nothing-here-000000000000000"
# Set by the test settings in this process; a child process must start without them.
INHERITED = {
    "SECRET_KEY",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "SECURE_HTTPS",
    "TMHUB_PLAIN_STATIC",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "TALENT_ID_KEY",
    "TALENT_ID_OLD_KEYS",
}


def _settings_in_a_fresh_process(**env):
    clean = {k: v for k, v in os.environ.items() if k not in INHERITED}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import tmhub.settings as s; print(s.TALENT_ID_KEYS)"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


# ---------------------------------------------------------------- settings
def test_production_settings_refuse_to_start_without_a_key():
    result = _settings_in_a_fresh_process(SECRET_KEY="s" * 50)
    assert result.returncode != 0
    assert "TALENT_ID_KEY must be set when DEBUG is off" in result.stderr


def test_the_key_is_never_the_secret_key_nor_a_short_one():
    for key in ("s" * 50, "short-key"):
        result = _settings_in_a_fresh_process(SECRET_KEY="s" * 50, TALENT_ID_KEY=key)
        assert result.returncode != 0
        assert "at least 32 characters and differ from SECRET_KEY" in result.stderr


def test_the_newest_key_comes_first_then_the_old_ones():
    result = _settings_in_a_fresh_process(
        SECRET_KEY="s" * 50, TALENT_ID_KEY=NEW_KEY, TALENT_ID_OLD_KEYS=f"{OLD_KEY},{LOST_KEY}"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str([NEW_KEY, OLD_KEY, LOST_KEY])


def test_development_starts_without_a_key():
    result = _settings_in_a_fresh_process(DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "development-only" in result.stdout


# ---------------------------------------------------------------- rotation
@pytest.fixture
def keys(settings):
    """Switch the configured keys within a test (newest first)."""

    def use(*keys):
        settings.TALENT_ID_KEYS = list(keys)

    use(OLD_KEY)
    return use


def _fingerprint(number: str) -> str:
    return protection.digest(protection.normalize_id("resident_id", number))


@pytest.mark.django_db
def test_rotation_round_trip(personas, keys):
    # Given two profiles whose numbers were stored under the old key
    first, second = resident_id(311), resident_id(312)
    a = make_profile(personas.manager, employer=personas.university, id_number=first)
    b = make_profile(employer=personas.university, id_number=second, name="李四")
    stored_before = ManagerProfile.objects.get(pk=a.pk).id_number_encrypted
    # When a new key is deployed with the old one kept for decrypting
    keys(NEW_KEY, OLD_KEY)
    # Then the old rows still decrypt and a duplicate is still found by its old fingerprint
    assert services.reveal_id_number(a, actor=personas.municipal_admin, reason="核对") == first
    with pytest.raises(ValidationError) as duplicate:
        make_profile(employer=personas.university, id_number=first, name="冒名")
    assert duplicate.value.error_dict["id_number"][0].code == "duplicate_person"
    # When the command re-encrypts every row (printing its progress)
    out = StringIO()
    call_command("rotate_id_key", "--batch-size", "1", stdout=out)
    text = out.getvalue()
    assert "1/2 checked" in text and "2/2 checked, 2 re-encrypted" in text
    # Then each row is under the new key with a new-key fingerprint, and nothing else moved
    for profile, number in ((a, first), (b, second)):
        row = ManagerProfile.objects.get(pk=profile.pk)
        assert protection.is_current(row.id_number_encrypted)
        assert row.id_number_digest == _fingerprint(number)
        assert row.id_number_masked == profile.id_number_masked
        assert row.updated_at == profile.updated_at
    assert ManagerProfile.objects.get(pk=a.pk).id_number_encrypted != stored_before
    # and the old key can go
    keys(NEW_KEY)
    rotated = ManagerProfile.objects.get(pk=a.pk)
    assert (
        services.reveal_id_number(rotated, actor=personas.municipal_admin, reason="核对") == first
    )
    # The run is one audited operation that recorded no number
    changes = ObjectChange.objects.filter(
        object_id__in=[str(a.pk), str(b.pk)], actor_name="system", action="update"
    )
    assert changes.count() == 2
    assert len({c.operation_id for c in changes}) == 1
    assert not any(n in str(c.before) + str(c.after) for c in changes for n in (first, second))


@pytest.mark.django_db
def test_rotation_is_idempotent(personas, keys):
    make_profile(personas.manager, employer=personas.university, id_number=resident_id(313))
    keys(NEW_KEY, OLD_KEY)
    call_command("rotate_id_key", stdout=StringIO())
    changes = ObjectChange.objects.count()
    out = StringIO()
    call_command("rotate_id_key", stdout=out)
    assert "0 of 1 ID numbers re-encrypted" in out.getvalue()
    assert ObjectChange.objects.count() == changes


# ---------------------------------------------------------------- a row no key decrypts
@pytest.mark.django_db
def test_a_number_no_key_decrypts_is_an_error_not_an_empty_string(personas, keys):
    number = resident_id(314)
    profile = make_profile(personas.manager, employer=personas.university, id_number=number)
    # When the key that encrypted it is no longer configured
    keys(LOST_KEY)
    with pytest.raises(protection.UndecryptableIdNumber):
        protection.decrypt(profile.id_number_encrypted)
    # the reveal fails (and records no reveal), instead of showing an empty number
    with pytest.raises(protection.UndecryptableIdNumber):
        services.reveal_id_number(profile, actor=personas.municipal_admin, reason="核对")
    assert not WorkflowEvent.objects.filter(event_type="talent.profile.id_revealed").exists()
    # the page says so instead of a 500 or a blank number
    client = client_for(personas.municipal_admin)
    response = client.post(
        reverse("talent:manager-reveal-id", args=[profile.pk]), {"reason": "核对"}, follow=True
    )
    assert response.status_code == 200
    assert "无法解密" in response.content.decode()
    # and the rotation stops at the row instead of skipping or blanking it
    with pytest.raises(CommandError):
        call_command("rotate_id_key", stdout=StringIO())
    assert ManagerProfile.objects.get(pk=profile.pk).id_number_encrypted == (
        profile.id_number_encrypted
    )


def test_nothing_stored_is_the_only_empty_answer(settings):
    settings.TALENT_ID_KEYS = [OLD_KEY]
    assert protection.decrypt("") == ""
    with pytest.raises(protection.UndecryptableIdNumber):
        protection.decrypt("gAAAAAnot-a-token")
