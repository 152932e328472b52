"""Error pages in production speak the UI's language and keep the site's frame."""

import re

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


# --- `make run`: the demo answers as production does -----------------------------------------


def _make_run_command(port: int) -> tuple[dict, list[str]]:
    """The environment and command `make run` starts the server with (make -n prints it)."""
    import shlex
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    printed = subprocess.run(
        ["make", "-n", "-s", "run", f"PORT={port}"], cwd=root, capture_output=True, text=True,
        check=True,
    ).stdout
    line = next(li for li in printed.splitlines() if "manage.py runserver" in li)
    words = shlex.split(line)
    assignments = 0  # NAME=value words before the program
    while re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[assignments]):
        assignments += 1
    env = dict(w.split("=", 1) for w in words[:assignments])
    return env, words[assignments:]


def test_make_run_serves_with_debug_off_and_the_seed_s_keys():
    env, command = _make_run_command(8000)
    assert env["DEBUG"] == "0" and "--insecure" in command, (env, command)
    # The keys the seed (DEBUG=1) fell back to, so the demo's encrypted ID numbers still read.
    assert env["SECRET_KEY"] == "development-only-insecure-key-" + "x" * 32
    assert env["TALENT_ID_KEY"] == "development-only-talent-id-key-" + "x" * 32


def test_make_run_answers_a_missing_page_with_the_404_page_and_serves_static_files(tmp_path):
    """The server `make run` starts, on a free port: a real 404 page in Chinese and in English
    (not the debug page listing the URL patterns), and the site's CSS served."""
    import os
    import socket
    import subprocess
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env, command = _make_run_command(port)
    root = Path(__file__).resolve().parents[3]
    run_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    run_env.update(env, TMHUB_VAR_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    server = subprocess.Popen(command, cwd=root, env=run_env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)

    def get(path, language=None):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
        if language:
            request.add_header("Cookie", f"django_language={language}")
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    try:
        for _ in range(120):  # the development server starts in a few seconds
            try:
                status, css = get("/static/tmhub/tmhub.css")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        else:
            pytest.fail("make run's server did not start")
        assert status == 200 and ".btn" in css
        status, page = get("/no-such-page/")
        assert status == 404
        assert "页面不存在" in page and "URLconf" not in page and "urlpatterns" not in page
        status, page = get("/no-such-page/", language="en")
        assert status == 404 and "Page not found" in page and "URLconf" not in page
    finally:
        server.terminate()
        server.wait(timeout=20)
