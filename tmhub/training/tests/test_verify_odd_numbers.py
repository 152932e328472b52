"""A verification URL whose number holds "/" (typed, or encoded as %2F) is answered with the
"no certificate with this number" page, not a bare 404."""

import pytest

from conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [
    "/certificates/verify/BJTM%2F2026%2F00001/",
    "/certificates/verify/BJTM/2026/00001/",
    "/training/verify/BJTM%2F2026%2F00001/",
    "/training/verify/../etc/passwd/",
])
def test_a_number_with_a_slash_gets_the_certificate_answer(path):
    answer = client_for(None).get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 404
    assert "的证书" in answer.content.decode() and "不存在编号为" in answer.content.decode()
