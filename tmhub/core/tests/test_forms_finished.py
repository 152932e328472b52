"""Forms that look finished (issue 12, item 9): every input styled by Bootstrap, checkbox and
radio groups drawn as .form-check rows, one page title, uniqueness errors in words."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.template import Context, Template
from django.test import Client
from django.utils import translation

from conftest import client_for, sqlite_suite_only
from tmhub.core.forms import BootstrapFormMixin

pytestmark = pytest.mark.django_db

STYLED = re.compile(r"^(form-control|form-select|form-check-input|btn-check|form-range)")
UNSTYLED_TYPES = {"hidden", "submit", "button", "image", "reset"}


class _Inputs(HTMLParser):
    """Every visible input, select and textarea of a page, with its classes."""

    def __init__(self):
        super().__init__()
        self.unstyled: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in ("input", "select", "textarea"):
            return
        if tag == "input" and (attrs.get("type") or "text") in UNSTYLED_TYPES:
            return
        classes = (attrs.get("class") or "").split()
        if not any(STYLED.match(c) for c in classes):
            self.unstyled.append(f"<{tag} name={attrs.get('name')!r} class={attrs.get('class')!r}>")


def unstyled_inputs(html: str) -> list[str]:
    parser = _Inputs()
    parser.feed(html)
    return parser.unstyled


def _render_form(form) -> str:
    return Template('{% include "core/_form.html" %}').render(Context({"form": form}))


def test_the_sign_in_form_of_django_is_styled_by_the_shared_form_template():
    html = _render_form(AuthenticationForm())
    assert 'name="username"' in html and 'name="password"' in html
    assert not unstyled_inputs(html), html


def test_a_field_with_an_error_is_outlined():
    form = AuthenticationForm(data={"username": "", "password": ""})
    form.is_valid()
    html = _render_form(form)
    assert html.count("is-invalid") >= 2 and "invalid-feedback" in html


def test_a_checkbox_group_is_drawn_as_bootstrap_checks_under_a_legend():
    class Issues(BootstrapFormMixin, forms.Form):
        issues = forms.MultipleChoiceField(
            label="问题",
            choices=[("a", "材料不全"), ("b", "签字缺失")],
            widget=forms.CheckboxSelectMultiple,
        )
        kind = forms.ChoiceField(
            label="类别", choices=[("x", "甲"), ("y", "乙")], widget=forms.RadioSelect
        )

    html = _render_form(Issues())
    assert not unstyled_inputs(html), html
    assert html.count('<div class="form-check">') == 4
    assert re.search(
        r'<input type="checkbox" name="issues" value="a" class="form-check-input"'
        r'[^>]*id="id_issues_0"',
        html,
    ), html
    assert '<label class="form-check-label" for="id_issues_0">材料不全</label>' in html
    assert "<legend" in html and "问题" in html


def test_the_login_page_is_styled(personas):
    html = Client().get("/accounts/login/").content.decode()
    assert not unstyled_inputs(html)


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_one_platform_name_in_the_title(personas):
    client = Client()
    assert _title(client.get("/").content.decode()) == "技术经理人服务平台"
    assert _title(client.get("/accounts/login/").content.decode()) == "登录 · 技术经理人服务平台"
    client.cookies["django_language"] = "en"
    assert _title(client.get("/").content.decode()) == "Technology Manager Service Platform"
    assert (
        _title(client.get("/accounts/login/").content.decode())
        == "Sign in · Technology Manager Service Platform"
    )


def test_uniqueness_errors_read_as_a_sentence(personas):
    from tmhub.orgs.models import Organization
    from tmhub.training.models import Course

    class OrgCode(BootstrapFormMixin, forms.ModelForm):
        class Meta:
            model = Organization
            fields = ["credit_code"]

    with translation.override("zh-hans"):
        form = OrgCode(data={"credit_code": personas.university.credit_code})
        assert not form.is_valid()
        assert form.errors["credit_code"] == ["已有其他机构使用这个统一社会信用代码。"]
    with translation.override("en"):
        form = OrgCode(data={"credit_code": personas.university.credit_code})
        assert not form.is_valid()
        assert form.errors["credit_code"] == [
            "Another organisation already has this unified social credit code."
        ]
    assert Course._meta.constraints  # (programme, code): the two-field wording below

    class CourseCode(BootstrapFormMixin, forms.ModelForm):
        class Meta:
            model = Course
            fields = ["programme", "code"]

    course = _a_course(personas)
    with translation.override("en"):
        form = CourseCode(data={"programme": course.programme_id, "code": course.code})
        assert not form.is_valid()
        assert form.errors["__all__"] == [
            "Another course already has the same programme and code."
        ], form.errors


def _a_course(personas):
    from tmhub.training.models import Course
    from tmhub.training.tests.helpers import given_running_cohort

    given_running_cohort(personas, [personas.manager], code="unique")
    return Course.objects.select_related("programme").first()


@sqlite_suite_only
def test_every_page_of_the_matrix_draws_styled_inputs(personas):
    """Every GET page of the permission matrix, as the first persona let through: no visible
    input, select or textarea without its Bootstrap class."""
    from tmhub.core.tests.permission_matrix import PERSONA_NAMES
    from tmhub.core.tests.test_permission_matrix import _all_cases

    clients = {}
    failures = []
    for case in _all_cases(personas):
        if case.method != "get" or case.ok_status != 200 or case.url.startswith("/api/"):
            continue
        name = next((n for n in PERSONA_NAMES if case.expected(n) == 200), None)
        if name is None:
            continue
        if name not in clients:
            clients[name] = client_for(None if name == "anonymous" else getattr(personas, name))
        response = clients[name].get(case.url)
        if "html" not in response.get("Content-Type", ""):
            continue
        bad = unstyled_inputs(response.content.decode())
        if bad:
            failures.append(f"{case.url} as {name}: {', '.join(sorted(set(bad)))}")
    assert not failures, "\n".join(failures)
