"""The certificate as a PDF: Chinese text in an embedded CJK font and a QR code that opens
the public verification page.

Names come from users (the holder, the programme, the provider): they are drawn as literal
canvas strings through `tmhub.core.pdf.plain`, never as paragraph markup.
"""

from __future__ import annotations

import io

import qrcode
from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from tmhub.core.pdf import FontMissing, cjk_font, plain
from tmhub.training.choices import Level

__all__ = ["FontMissing", "render_certificate"]


def _register_font() -> str:
    return cjk_font(required=True)


def _qr_image(url: str):
    image = qrcode.make(url, box_size=6, border=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def _label(level: str, language: str) -> str:
    with translation.override(language):
        return str(Level(level).label)


def render_certificate(certificate, verify_url: str) -> bytes:
    """A one-page landscape A4 certificate in Chinese and English."""
    font = _register_font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(plain(certificate.number))
    pdf.setAuthor("TM Hub")
    # frame
    pdf.setStrokeColor(colors.HexColor("#8a1c1c"))
    pdf.setLineWidth(4)
    pdf.rect(28, 28, width - 56, height - 56)
    pdf.setLineWidth(1)
    pdf.rect(38, 38, width - 76, height - 76)
    enrolment = certificate.enrolment
    programme = enrolment.cohort.programme
    issued = timezone.localtime(certificate.issued_at).date()
    center = width / 2
    pdf.setFillColor(colors.HexColor("#8a1c1c"))
    pdf.setFont(font, 34)
    pdf.drawCentredString(center, height - 110, "技术经理人培训证书")
    pdf.setFont(font, 16)
    pdf.drawCentredString(center, height - 138, "Certificate of Technology Manager Training")
    pdf.setFillColor(colors.black)
    pdf.setFont(font, 26)
    pdf.drawCentredString(center, height - 205, plain(certificate.holder_name))
    pdf.setFont(font, 14)
    lines = [
        f"完成{plain(programme.provider.name_zh)}“{plain(programme.name_zh)}”培训，"
        f"共 {certificate.hours} 学时，考核合格，",
        f"达到 {_label(certificate.level, 'zh-hans')} 培训要求，特发此证。",
        f"has completed {certificate.hours} class hours of training and passed the assessment,",
        f"meeting the requirements of {_label(certificate.level, 'en')}.",
    ]
    y = height - 245
    for line in lines:
        pdf.drawCentredString(center, y, line)
        y -= 24
    pdf.setFont(font, 12)
    pdf.drawString(70, 110, f"证书编号 Certificate No.: {plain(certificate.number)}")
    pdf.drawString(70, 90, f"发证日期 Date of issue: {issued.isoformat()}")
    pdf.drawString(70, 70, f"培训机构 Provider: {plain(programme.provider.name_zh)}")
    size = 110
    pdf.drawImage(_qr_image(verify_url), width - 70 - size, 62, size, size)
    pdf.setFont(font, 9)
    pdf.drawCentredString(width - 70 - size / 2, 50, "扫码验证 Scan to verify")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
