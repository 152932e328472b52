"""Error pages in production speak the UI's language and keep the site's frame."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_a_chinese_404_page_with_the_navigation(settings):
    settings.DEBUG = False
    response = Client().get("/orgs/?page=99999999999999999999999")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "navbar" in page


def test_the_404_page_in_english(settings):
    settings.DEBUG = False
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.get("/transfer/achievements/987654321/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_500_page_needs_no_context():
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "服务器出现错误" in html and "Server error" in html
