"""The one way user text reaches a PDF: escaped for ReportLab's paragraph markup.

ReportLab's `Paragraph` parses its text as mini-HTML: `<img src="/a/server/file"/>` embeds a file
of the server, `<a href="…">` plants a live link, `<font>`/`<b>` restyle an official document,
and an unclosed tag makes the whole document fail to build. Every PDF of TM Hub therefore builds
its paragraphs with `para()` here, which treats text as plain text unless it is a `Markup`
composed by `markup()` from a trusted template and escaped values:

    para(allocation.name, style)                              # always literal
    para(markup("<b>{label}</b>：{value}", label=_("Contract"), value=contract.title), style)

Text drawn on a canvas (`drawString`, `drawCentredString`) is not parsed as markup, but goes
through `plain()` so control characters and line breaks cannot garble it.
`tmhub/core/tests/test_pdf.py` fails when a module builds a `Paragraph` itself.

The CJK font every PDF uses is registered here too (`cjk_font()`): the Debian package
`fonts-wqy-zenhei` or the TrueType file named by the environment variable `TMHUB_CJK_FONT`.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

FONT_NAME = "TMHubCJK"
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]
CID_FALLBACK = "STSong-Light"
_ENTITIES = {'"': "&quot;", "'": "&#39;"}
_BREAKS = re.compile(r"[\t\n\r\v\f\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class FontMissing(RuntimeError):
    """No CJK TrueType font is installed; install the Debian package fonts-wqy-zenhei."""


class Markup(str):
    """Paragraph markup that is trusted (built by `markup()`); `para()` does not escape it."""


def plain(value) -> str:
    """User text as one line: line breaks become a space, control characters are dropped."""
    text = "" if value is None else str(value)
    return _CONTROL.sub("", _BREAKS.sub(" ", text))


def escape_markup(value) -> str:
    """`value` as literal paragraph text: `& < > " '` escaped, control characters dropped."""
    if isinstance(value, Markup):
        return str(value)
    return escape(plain(value), _ENTITIES)


def markup(template: str, /, **values) -> Markup:
    """Trusted `template` (written in the code, never from users) filled with escaped values."""
    return Markup(template.format(**{key: escape_markup(v) for key, v in values.items()}))


def para(text, style):
    """A ReportLab Paragraph of `text`: plain text is escaped, `Markup` is used as it is."""
    from reportlab.platypus import Paragraph

    return Paragraph(escape_markup(text), style)


@lru_cache(maxsize=2)
def cjk_font(*, required: bool = False) -> str:
    """Register and return the name of a font that draws Chinese.

    Without a TrueType CJK font, reportlab's built-in STSong-Light CID font is used (viewers
    render it from their own fonts), or `FontMissing` is raised when `required`.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    for path in [os.environ.get("TMHUB_CJK_FONT", ""), *FONT_CANDIDATES]:
        if path and Path(path).exists():
            try:
                pdfmetrics.registerFont(TTFont(FONT_NAME, path, subfontIndex=0))
                return FONT_NAME
            except Exception:  # noqa: BLE001 - an unreadable font falls through to the next
                continue
    if required:
        raise FontMissing("No CJK TrueType font found; apt-get install fonts-wqy-zenhei")
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK
