"""Checks for PDFs rendered with hostile user text (see tmhub/core/pdf.py)."""

from __future__ import annotations

import re
import shutil
import subprocess

# What a user could type into a name or a title to subvert ReportLab's paragraph markup.
HOSTILE = [
    '<img src="/etc/passwd"/>',
    '<a href="http://evil.example/">点我</a>',
    "<b>unclosed",
    "R&D & Co ]]> &amp; &#x41;",
    "<font size=40 color=red>大</font>",
]
ACTIVE = (b"/Annot", b"/Link", b"/URI", b"/JavaScript", b"/Launch")
_IMAGE = re.compile(rb"/Subtype\s*/Image")


def image_count(pdf: bytes) -> int:
    return len(_IMAGE.findall(pdf))


def assert_inert(pdf: bytes, *, images: int) -> None:
    """A valid PDF with no link or annotation and exactly `images` embedded images."""
    assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    for token in ACTIVE:
        assert token not in pdf, token
    assert image_count(pdf) == images


def pdf_text(pdf: bytes, tmp_path) -> str | None:
    """The text of the PDF with all whitespace removed (pdftotext), or None without poppler."""
    if not shutil.which("pdftotext"):
        return None
    path = tmp_path / "rendered.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return squash(text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
