"""Reward statements (奖励分配表) of approved splits as PDF (embedded CJK font) and xlsx.

The PDF embeds a TrueType CJK font so Chinese renders in any viewer (see `tmhub.core.pdf`:
the Debian package `fonts-wqy-zenhei` or a path in TMHUB_CJK_FONT; without one, reportlab's
built-in STSong-Light CID font). Every text reaches the PDF through `tmhub.core.pdf.para`, which
escapes paragraph markup: names and titles are user text.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core.pdf import cjk_font, para
from tmhub.transfer.rewards_engine import format_fen


def _lines(split) -> dict:
    return {
        "title": _("Reward statement for the transformation of scientific achievements"),
        "facts": [
            (_("Statement number"), split.number or ""),
            (_("Institution"), split.institution.name),
            (_("Contract"), str(split.contract) if split.contract else "—"),
            (_("Project"), split.project.title if split.project else "—"),
            (_("Transfer mode"), split.get_transfer_mode_display()),
            (_("Income date"), split.income_date.isoformat()),
            (_("Amount to split (yuan)"), format_fen(split.amount_fen)),
            (_("Rule applied"), split.rule_name),
            (_("Approved by"), str(split.approved_by or "")),
            (_("Approved at"), timezone.localtime(split.approved_at).strftime("%Y-%m-%d %H:%M")
             if split.approved_at else ""),
        ],
        "buckets": [
            (_("Team reward"), f"{split.team_share}%", format_fen(split.team_fen)),
            (_("Transfer office: capacity building and manager rewards"),
             f"{split.office_share}%", format_fen(split.office_fen)),
            (_("Institution"), f"{split.institution_share}%", format_fen(split.institution_fen)),
            (_("Total"), "100%", format_fen(split.amount_fen)),
        ],
        "people": [(a.name, f"{a.contribution}%", format_fen(a.amount_fen))
                   for a in split.allocations.all()],
        "legal_basis": split.rule_legal_basis,
        "cap_note": _("Rewards and remuneration for transforming scientific achievements are "
                      "outside the performance-pay cap (not limited by the institution's total "
                      "wage bill of the year and not counted in its base)."),
    }


def statement_pdf(split) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    font = cjk_font()
    data = _lines(split)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=22, alignment=1)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=11)

    def cell(text):
        return para(text, body)

    def table(rows, widths, header=False):
        t = Table([[cell(c) for c in row] for row in rows], colWidths=widths)
        style = [("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        if header:
            style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")))
        t.setStyle(TableStyle(style))
        return t

    story = [para(data["title"], title), Spacer(1, 6 * mm),
             table(data["facts"], [45 * mm, 125 * mm]), Spacer(1, 5 * mm),
             table([(_("Share"), _("Percent"), _("Amount (yuan)"))] + data["buckets"],
                   [95 * mm, 30 * mm, 45 * mm], header=True), Spacer(1, 5 * mm),
             para(_("Team reward by contribution"), body), Spacer(1, 2 * mm),
             table([(_("Name"), _("Contribution"), _("Amount (yuan)"))] + data["people"],
                   [95 * mm, 30 * mm, 45 * mm], header=True), Spacer(1, 5 * mm),
             para(_("Legal basis") + "：" + data["legal_basis"], small), Spacer(1, 3 * mm),
             para(data["cap_note"], small), Spacer(1, 12 * mm),
             para(_("Institution (seal)") + "：" + "_" * 24 + "　　" + _("Date") + "："
                  + "_" * 16, body)]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm,
                            title=f"{split.number} {data['title']}", author="TM Hub")
    doc.build(story)
    return out.getvalue()


def statement_xlsx(split) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    from tmhub.core.tabular.exporting import neutralise

    data = _lines(split)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = (split.number or "statement")[:31]
    sheet.append([data["title"]])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    for label, value in data["facts"]:
        sheet.append([label, neutralise(value)])
    sheet.append([])
    sheet.append([_("Share"), _("Percent"), _("Amount (yuan)"), _("Amount (fen)")])
    fen = [split.team_fen, split.office_fen, split.institution_fen, split.amount_fen]
    for (label, percent, yuan), amount in zip(data["buckets"], fen, strict=True):
        sheet.append([label, percent, yuan, amount])
    sheet.append([])
    sheet.append([_("Name"), _("Contribution"), _("Amount (yuan)"), _("Amount (fen)")])
    for (name, percent, yuan), allocation in zip(data["people"], split.allocations.all(),
                                                  strict=True):
        sheet.append([neutralise(name), percent, yuan, allocation.amount_fen])
    sheet.append([])
    sheet.append([_("Legal basis"), data["legal_basis"]])
    sheet.append([data["cap_note"]])
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 18
    sheet.column_dimensions["D"].width = 16
    for row in sheet.iter_rows():
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
