"""Every PDF escapes user text through tmhub/core/pdf.py: the helper itself, a lint that no
module builds a ReportLab Paragraph on its own, and a register of the PDF modules, each with a
test that renders it with hostile values."""

import io
import re
from pathlib import Path

import pytest

from tmhub.core.pdf import Markup, escape_markup, markup, para, plain
from tmhub.core.tests.pdf_checks import HOSTILE, assert_inert

ROOT = Path(__file__).resolve().parents[2]  # the tmhub package
HELPER = ROOT / "core" / "pdf.py"
# ReportLab flowables that parse their text as markup.
MARKUP_FLOWABLES = re.compile(r"\b(Paragraph|XPreformatted|ParagraphAndImage)\s*\(")
# Every module that makes a PDF, and the test that renders it with hostile values.
PDF_MODULES = {
    "transfer/statement.py": "transfer/tests/test_statement_markup.py",
    "training/pdf.py": "training/tests/test_certificate_markup.py",
    "evaluation/dossier.py": "evaluation/tests/test_works.py",
    "insights/annual.py": "insights/tests/test_annual.py",
}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, path.read_text(encoding="utf-8")


def test_no_module_builds_a_markup_paragraph_outside_the_helper():
    offenders = [
        f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path, text in _sources()
        if path not in (HELPER, Path(__file__).resolve())
        for match in MARKUP_FLOWABLES.finditer(text)
    ]
    assert not offenders, f"use tmhub.core.pdf.para() instead: {offenders}"


def test_every_pdf_module_is_registered_with_a_hostile_values_test():
    makers = {
        str(path.relative_to(ROOT))
        for path, text in _sources()
        if re.search(r"^\s*(from|import) reportlab", text, re.M)
        and "tests" not in path.parts
        and path != HELPER
    }
    assert makers == set(PDF_MODULES), (
        "a new PDF module: route its text through tmhub.core.pdf and add a test rendering it "
        "with tmhub.core.tests.pdf_checks.HOSTILE, then register it here"
    )
    for test in PDF_MODULES.values():
        assert "assert_inert" in (ROOT / test).read_text(encoding="utf-8"), test


@pytest.mark.parametrize("value", HOSTILE + ["\x00\x1b控制\r\n换行"])
def test_escaped_text_builds_a_plain_inert_paragraph(value):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import SimpleDocTemplate

    out = io.BytesIO()
    SimpleDocTemplate(out).build([para(value, ParagraphStyle("body"))])
    assert_inert(out.getvalue(), images=0)
    assert "<" not in escape_markup(value) and ">" not in escape_markup(value)


def test_markup_escapes_values_but_keeps_the_trusted_template():
    result = markup("<b>{label}</b>：{value}", label="合同 & 协议", value='<a href="x">y</a>')
    assert isinstance(result, Markup)
    assert result == "<b>合同 &amp; 协议</b>：&lt;a href=&quot;x&quot;&gt;y&lt;/a&gt;"
    assert escape_markup(result) == result  # composed markup is not escaped twice
    assert escape_markup("it's") == "it&#39;s"


def test_plain_keeps_one_line_without_control_characters():
    assert plain("张\x00三\r\n李\t四") == "张三 李 四"
    assert plain(None) == ""
    assert plain("甲　　乙") == "甲　　乙"  # full-width spaces are layout, kept
