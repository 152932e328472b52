"""Translations are complete: every catalogue entry is translated, and every string in the code
and templates is in its app's catalogue (so a new string cannot ship untranslated)."""

import os
import shutil
import subprocess
import sys

import polib
import pytest
from django.test import Client

from tmhub.core.i18n_tools import ROOT, missing_translations

APPS = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))


def test_every_catalogue_entry_is_translated():
    assert missing_translations() == []


@pytest.mark.parametrize("app", APPS)
def test_catalogue_covers_every_string_of_the_app(app, tmp_path):
    source = ROOT / app
    if not shutil.which("xgettext"):
        pytest.fail("gettext's xgettext is required (make test installs it)")
    copy = tmp_path / app
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT.parent), "DJANGO_SETTINGS_MODULE":
           "tmhub.test_settings"}
    subprocess.run(
        # -P: the app folder must not shadow stdlib modules (transfer/selectors.py).
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "en", "--no-obsolete",
         "-i", "engine/*"],
        cwd=copy, env=env, check=True, capture_output=True,
    )
    fresh = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    extracted = {e.msgid for e in polib.pofile(str(fresh))} if fresh.exists() else set()
    for language in ("zh_Hans", "en"):
        catalogue = source / "locale" / language / "LC_MESSAGES" / "django.po"
        known = {e.msgid for e in polib.pofile(str(catalogue))} if catalogue.exists() else set()
        missing = sorted(extracted - known)
        assert not missing, f"{app} {language}: run `make messages-extract` and translate {missing}"


@pytest.mark.django_db
def test_language_switch_changes_the_page():
    client = Client()
    assert "机构库" in client.get("/orgs/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/orgs/"})
    assert response.status_code == 302
    page = client.get("/orgs/").content.decode()
    assert "Organisations" in page and "机构库" not in page


@pytest.mark.django_db
def test_chinese_is_the_default_even_for_an_english_browser():
    page = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/orgs/").content.decode()
    assert "机构库" in page


@pytest.mark.django_db
def test_home_names_the_roles_in_the_ui_language(personas):
    from conftest import client_for

    page = client_for(personas.district_officer).get("/").content.decode()
    assert "区级工作人员" in page and "district_officer" not in page
