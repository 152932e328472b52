"""Translations are complete: every catalogue entry is translated, and every string in the code
and templates is in its app's catalogue (so a new string cannot ship untranslated)."""

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.test import Client

from conftest import sqlite_suite_only
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
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT.parent),
        "DJANGO_SETTINGS_MODULE": "tmhub.test_settings",
    }
    subprocess.run(
        # -P: the app folder must not shadow stdlib modules (transfer/selectors.py).
        [
            sys.executable,
            "-P",
            "-m",
            "django",
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "-i",
            "engine/*",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
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


# ---- every page in the UI's language
#
# Every page of the permission matrix, as every persona who may open it, in Chinese and in
# English: the Chinese page's visible text has no Latin-only word and the English page's no
# Chinese, except data (what people typed: names, titles, keywords, codes) and the names and
# acronyms below. Data is read from the database itself, so a record's Chinese name on the
# English page passes while a template string or a choice code that was never translated fails.

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Names the Chinese UI writes in Latin letters (a word in capitals, API or CNY, is an acronym).
LATIN_ALLOWED = {"Hub", "English", "OpenAPI", "Excel", "ECharts", "Office", "Token", "xlsx", "xls"}
LATIN_ALLOWED |= {"csv", "pdf", "zip"}
# The language switcher names Chinese in Chinese on the English page; English texts name the
# city's commission as people there write it: "the city (市科委)".
CJK_ALLOWED = {"简体中文", "市科委"}
# Paths, addresses and e-mail addresses are written in Latin letters in every language.
PATH_OR_ADDRESS = re.compile(r"\S*[/@]\S*")
# Elements whose text is code or keys to type (an HTTP header, an authenticator's key).
CODE_TAGS = {"script", "style", "code", "pre", "kbd", "samp"}
# Attributes a reader sees (tooltips, placeholders, screen-reader labels, confirmations).
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-confirm"}
# Records whose text is not data typed by people: the audit trail stores field names and codes
# (history is rendered from them in words), sessions and permissions are the framework's.
NOT_DATA_APPS = {"admin", "contenttypes", "sessions", "auth"}


# Still found by this test; remove a word when its page is fixed (the test then keeps it fixed).
# The personal-data access log stores the labels of the fields opened (PersonalDataAccess.fields)
# in the language of the moment; 更名 is the demo's change-request wording. (The history's record
# names and the "back to" step labels were on this list: history now names each row as it is
# called today in the reader's language, and the step label is translated when shown.)
KNOWN = {
    "zh-hans": set(),
    "en": {
        "更名",
        "专业能力",
        "产业领域",
        "入库方式",
        "在名录中公开",
        "培训等级",
        "姓名",
        "工作所在区",
        "登记编号",
        "职称",
        "脱敏",
        "证件",
        "证件号码",
    },
}


class VisibleText(HTMLParser):
    """The text a reader sees: text outside <script>/<style> (and code: <code>, <pre>, <kbd>,
    <samp>) and the visible attributes (with button values)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in CODE_TAGS:
            self._hidden += 1
        attributes = dict(attrs)
        self.parts += [v for k, v in attrs if k in VISIBLE_ATTRIBUTES and v]
        if tag == "input" and attributes.get("type") in ("submit", "button", "reset"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in CODE_TAGS and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [part for part in parser.parts if part.strip()]


def data_vocabulary() -> tuple[set[str], set[str]]:
    """(Latin words, Chinese runs) of every text people entered in the database: the text
    fields without choices of every model of ours (an `_en` field counts only for English
    and a `_zh` field only for Chinese) and the strings of keyword lists. Choice codes and the
    audit trail's field names are not data: shown to a person they must be in words."""
    from django.apps import apps
    from django.db import models as m

    from tmhub.core import chinese_text
    from tmhub.core.models import ImportJob

    latin, cjk = set(), set()
    for model in apps.get_models():
        if model._meta.app_label in NOT_DATA_APPS or model._meta.label in (
            "core.ObjectChange",
            "core.WorkflowEvent",
        ):
            continue
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (m.CharField, m.TextField, m.FileField)) and not f.choices
        ]
        keyword_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, m.JSONField) and "keyword" in f.name
        ]
        if not text_fields and not keyword_fields:
            continue
        for row in model._base_manager.values(*text_fields, *keyword_fields).iterator():
            for name, value in row.items():
                values = value if isinstance(value, list) else [value]
                for text in (v for v in values if isinstance(v, str)):
                    if not name.endswith("_zh"):
                        latin.update(LATIN_WORD.findall(text))
                    if not name.endswith("_en"):
                        cjk.update(CJK_RUN.findall(text))
                        # A keyword a match names ("keywords: 企业") is a word the engine cut
                        # out of this text: a piece of the record, not of the interface.
                        cjk.update(w for w in chinese_text.segment_for_search(text)
                                   if CJK_RUN.fullmatch(w))
    # The column headers of uploaded files, which import reports name as the file wrote them.
    for report in ImportJob.objects.values_list("report", flat=True):
        for row in (report or {}).get("rows", []):
            for error in row.get("errors", []):
                for label in (error.get("label", ""), error.get("label_en", "")):
                    latin.update(LATIN_WORD.findall(label))
                    cjk.update(CJK_RUN.findall(label))
    return latin, cjk


def _is_data_run(run: str, known: set[str]) -> bool:
    """True when the Chinese run is data, or data written side by side (`{{ a }}{{ b }}`)."""
    reachable = [True] + [False] * len(run)
    for end in range(1, len(run) + 1):
        reachable[end] = any(reachable[start] and run[start:end] in known for start in range(end))
    return reachable[-1]


def foreign_words(texts: list[str], language: str, latin: set[str], cjk: set[str]) -> set[str]:
    """The words of the other script that are neither data nor allowed names."""
    found = set()
    for text in texts:
        if language == "zh-hans":
            found.update(
                w
                for w in LATIN_WORD.findall(PATH_OR_ADDRESS.sub(" ", text))
                if w not in LATIN_ALLOWED and w not in latin and not w.isupper()
            )
        else:
            found.update(
                r
                for r in CJK_RUN.findall(text)
                if r not in CJK_ALLOWED and not _is_data_run(r, cjk)
            )
    return found


def test_visible_text_reads_text_and_attributes_but_not_scripts():
    html = (
        '<p title="提示">正文 <b>Bold</b></p><script>var x = "脚本";</script>'
        '<input type="submit" value="提交"><input name="q" placeholder="搜索">'
        "<select><option>Option label</option></select><style>.a{}</style>"
        "<code>Authorization: Token</code>"
    )
    assert visible_text(html) == ["提示", "正文 ", "Bold", "提交", "搜索", "Option label"]


def test_foreign_words_spare_data_and_names():
    latin, cjk = {"Tsinghua"}, {"清华大学", "海淀区"}
    texts = [
        "清华大学 Tsinghua API 导出 descending /api/me/?format=json a@example.cn CNY",
        "Exported 清华大学海淀区 简体中文 人数",
    ]
    assert foreign_words(texts, "zh-hans", latin, cjk) == {"descending", "Exported"}
    assert foreign_words(texts, "en", latin, cjk) == {"导出", "人数"}


@pytest.mark.django_db
def test_a_word_cut_out_of_a_record_is_data(personas):
    """Given a pilot whose reason reads 企业需求明确, when a match names the keyword 企业 on an
    English page, then that word is the record's, not an untranslated interface word."""
    from tmhub.pilots.tests.helpers import make_pilot

    make_pilot(personas)
    latin, cjk = data_vocabulary()
    assert foreign_words(["keywords: 企业; works at the project's institution"], "en",
                         latin, cjk) == set()
    assert foreign_words(["导出 企业"], "en", latin, cjk) == {"导出"}


@sqlite_suite_only
@pytest.mark.django_db
def test_every_page_is_in_the_ui_language(personas):
    from conftest import client_for
    from tmhub.core.tests.permission_matrix import PERSONA_NAMES, app_case_modules

    pages = [
        case
        for module in app_case_modules()
        for case in module.cases(personas)
        if case.method == "get" and not case.url.startswith("/api/")
    ]
    latin, cjk = data_vocabulary()
    for case in pages:  # what a page was asked for (?q=专利检索) is the reader's own text,
        latin.update(LATIN_WORD.findall(case.query))  # and so is any piece of it (检索)
        for run in CJK_RUN.findall(case.query):
            cjk.update(run[i:j] for i in range(len(run)) for j in range(i + 1, len(run) + 1))
    failures: dict[str, list[str]] = {}
    for language in ("zh-hans", "en"):
        seen_refusals = set()
        for name in PERSONA_NAMES:
            client = client_for(None if name == "anonymous" else getattr(personas, name))
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            seen_urls = set()
            for case in pages:
                expected = case.expected(name)
                if case.url in seen_urls:
                    continue
                seen_urls.add(case.url)
                # A refusal is the same page for every route: read it once per persona.
                if expected != 200 and (expected, name) in seen_refusals:
                    continue
                seen_refusals.add((expected, name))
                response = client.get(case.url)
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                texts = visible_text(response.content.decode())
                for word in sorted(foreign_words(texts, language, latin, cjk) - KNOWN[language]):
                    failures.setdefault(f"{language} {word!r}", []).append(f"{case.url} as {name}")
    report = [
        f"{key}: {', '.join(where[:3])} ({len(where)} pages)" for key, where in failures.items()
    ]
    assert not report, "Words in the other script on the UI:\n" + "\n".join(sorted(report))


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "yes", "no"), [("zh-hans", "是", "否"), ("en", "Yes", "No")])
def test_exports_write_yes_and_no_in_the_ui_language(personas, language, yes, no):
    """Given the university runs a transfer office and the hospital does not, when the registry
    is exported as CSV in either language, then the column reads yes and no in that language
    only."""
    import csv

    from tmhub.core.actors import SYSTEM
    from tmhub.orgs.services import update_organization

    update_organization(personas.university, actor=SYSTEM, has_transfer_office=True)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = client.get("/orgs/?export=csv").content.decode("utf-8-sig")
    header, *rows = list(csv.reader(body.splitlines()))
    column = [row[len(header) - 2] for row in rows]  # "Runs a transfer office"
    by_name = {row[0]: row[len(header) - 2] for row in rows}
    assert by_name["测试大学"] == yes and by_name["测试医院"] == no
    assert set(column) == {yes, no}


# ---- one translation per string
#
# Django merges the apps' catalogues into one, the first app in INSTALLED_APPS winning: two
# apps translating the same msgid differently means one of them shows the other's words
# ("Managers" read "人数" above a list of names, "Sign out" read "退出" like leaving a cohort).
# A string with two meanings needs a context (pgettext); these still share one msgid and are
# read in the first app's sense everywhere until their owners give them contexts.
HOMONYMS_AWAITING_CONTEXT = {
    "Name",  # an organisation's 名称, a person's 姓名
    "name",
    "activity",
}


def _translations_by_msgid():
    found: dict[tuple, dict[str, str]] = {}
    for language in ("zh_Hans", "en"):
        for app in APPS:
            path = ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"
            if not path.exists():
                continue
            for entry in polib.pofile(str(path)):
                if entry.obsolete or entry.msgid in HOMONYMS_AWAITING_CONTEXT:
                    continue
                text = entry.msgstr or str(sorted(entry.msgstr_plural.items()))
                found.setdefault((language, entry.msgctxt, entry.msgid), {})[app] = text
    return found


def test_every_string_has_one_translation_across_the_apps():
    conflicts = [
        f"{language} {msgid!r}{f' ({context})' if context else ''}: {by_app}"
        for (language, context, msgid), by_app in sorted(
            _translations_by_msgid().items(), key=lambda item: str(item[0])
        )
        if len(set(by_app.values())) > 1
    ]
    assert not conflicts, "Translated differently by different apps:\n" + "\n".join(conflicts)


# ---- bilingual data: reward rules, statements, cohorts; sort labels


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_reward_rule_reads_in_the_ui_language(language):
    """Given the seeded Beijing licence rule, when its page is read in either language, then
    its name and legal basis are in that language only; a statement of a split approved under
    it reads its snapshot the same way."""
    from django.utils import translation

    from tmhub.transfer.models import RewardRule, RewardSplit

    rule = RewardRule.objects.get(name="北京市：技术许可净收入奖励")
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = " ".join(visible_text(client.get(rule.get_absolute_url()).content.decode()))
    english = "Beijing Municipal Regulations on Promoting the Transformation"
    chinese = "《北京市促进科技成果转化条例》"
    if language == "en":
        assert english in page and "Beijing: reward from the net income of a licence" in page
        assert not CJK_RUN.search(page.replace("简体中文", ""))
    else:
        assert chinese in page and "北京市：技术许可净收入奖励" in page
        assert "Regulations" not in page and "Beijing" not in page
    split = RewardSplit(rule_snapshot=rule.snapshot())
    with translation.override(language):
        basis = split.rule_legal_basis
    assert (english in basis) == (language == "en") and (chinese in basis) == (language != "en")


def test_a_split_approved_before_the_rules_had_english_keeps_its_chinese():
    from django.utils import translation

    from tmhub.transfer.models import RewardSplit

    split = RewardSplit(rule_snapshot={"name": "北京市：规则", "legal_basis": "《条例》"})
    with translation.override("en"):
        assert (split.rule_name, split.rule_legal_basis) == ("北京市：规则", "《条例》")


@pytest.mark.django_db
def test_cohort_titles_follow_the_ui_language(personas):
    """Given a cohort named the platform's way before titles had English, when the migration's
    step runs, then it gets an English title, shown on the English UI (Chinese on the Chinese)."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.utils import translation

    from tmhub.training.models import Cohort
    from tmhub.training.tests.helpers import given_cohort, given_programme, given_provider

    programme = given_programme(personas, given_provider(personas))
    cohort = given_cohort(personas, programme, code="2024a")
    cohort.title = f"{programme.name_zh}（2024A期）"
    Cohort.objects.filter(pk=cohort.pk).update(title=cohort.title)  # as created before 0008
    migration = importlib.import_module("tmhub.training.migrations.0008_cohort_title_in_english")
    # The migration's models, as `migrate` runs it (not today's audited models).
    state = MigrationLoader(connection).project_state(("training", "0008_cohort_title_in_english"))
    migration.translate(state.apps, None)
    cohort.refresh_from_db()
    assert cohort.title_en == "Junior technology broker training (cohort 2024A)"
    with translation.override("en"):
        assert str(cohort) == cohort.display_title == cohort.title_en
    with translation.override("zh-hans"):
        assert str(cohort) == "初级技术经纪人培训（2024A期）"


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "word"), [("zh-hans", "（降序）"), ("en", " (descending)")])
def test_sort_options_are_in_the_ui_language(language, word):
    """The sort select's labels are read per request, not fixed when the filters were defined."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/orgs/").content.decode()
    assert word in page
    assert ("descending" in page) == (language == "en")


@pytest.mark.django_db
def test_an_import_report_reads_in_the_language_of_its_reader(personas):
    """Given an institution administrator's dry run refused in Chinese (a row without an ID
    number), when the report is opened on the English UI, then its errors and notice are in
    English; on the Chinese UI, in Chinese; no raw error code is shown."""
    from django.utils import translation

    from conftest import client_for
    from tmhub.core.tabular.importing import REGISTRY, start_import
    from tmhub.talent.tests.helpers import xlsx_upload

    with translation.override("zh-hans"):
        job = start_import(
            REGISTRY["managers"],
            xlsx_upload(["姓名", "身份证号"], [["无证件号", ""]]),
            actor=personas.institution_admin,
        )
    client = client_for(personas.institution_admin)
    pages = {}
    for language in ("zh-hans", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        html = client.get(f"/imports/{job.pk}/").content.decode()
        table = html.split('id="row-errors"')[1].split("</table>")[0]
        notice = html.split('id="import-notice"')[1].split("</div>")[0]
        pages[language] = (table, notice)
    (zh_table, zh_notice), (en_table, en_notice) = pages["zh-hans"], pages["en"]
    # The column is named as the file names it (身份证号); the rest is in the reader's language.
    assert "ID number" in en_table and not CJK_RUN.search(en_table.replace("身份证号", ""))
    assert CJK_RUN.search(en_notice.replace("市科委", "")) is None and CJK_RUN.search(zh_notice)
    assert "ID number" not in zh_table and "证件号码" in zh_table
    assert "required" not in zh_table  # the error code is not shown
