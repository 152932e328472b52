"""The application's dossier (申报材料) as one PDF with a table of contents (issue 16 item 3),
generated from the records: the application, its eligibility verdict, its representative works
with the figures read from the platform's records, the social-evaluation rating it cites (the
figures kept when it was cited, with each dimension's score), and the steps taken so far.

Every text reaches the PDF through `tmhub.core.pdf.para` (user text is escaped, never parsed as
markup); the CJK font is the core's (`cjk_font`)."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core.pdf import cjk_font, markup, para


def _sections(application) -> list[tuple[str, list]]:
    """(heading, rows) of each section; rows are (label, value) pairs or works."""
    from tmhub.evaluation.services.works import figures
    from tmhub.evaluation.workflows import eligibility_of

    verdict = eligibility_of(application)
    basic = [
        (_("Applicant"), application.applicant.full_name),
        (_("Employer"), application.institution.name),
        (_("Round"), str(application.round)),
        (_("Level applied for"), application.level.name),
        (_("Direction"), application.direction.name),
        (_("Highest education"), application.get_education_display()),
        (_("Full years of work since graduation"), str(application.years_since_education)),
        (_("Current title"), application.current_title.name if application.current_title
         else _("No title")),
        (_("Full years in the current title"), str(application.years_in_current_title)),
        (_("Status"), application.get_status_display()),
    ]
    marks = {True: _("Condition met"), False: _("Condition not met"),
             None: _("For the reviewers to confirm")}
    eligibility = [(marks[c.met], c.explanation) for c in verdict.conditions]
    works = [(work, figures(work)) for work in application.works.select_related(
        "contract__institution", "project__institution", "reward_split__institution")]
    from tmhub.evaluation.services.rating_use import dossier_rows

    rating = dossier_rows(application)
    steps = []
    if application.submitted_at:
        steps.append((_("Submitted at"), _stamp(application.submitted_at)))
    if application.employer_notice_start:
        steps.append((_("Employer public notice"), f"{application.employer_notice_start} – "
                      f"{application.employer_notice_end}"))
    if application.endorsed_at:
        steps.append((_("Endorsed at"), _stamp(application.endorsed_at)))
    return [
        (_("Basic information"), basic),
        (_("Eligibility"), eligibility),
        (_("Summary of professional work"), [("", application.summary or "—")]),
        (_("Representative works"), works),
        (_("Social-evaluation rating"), rating),
        (_("Employer review and endorsement"), steps),
    ]


def _stamp(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def dossier_pdf(application) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer, Table, TableStyle
    from reportlab.platypus.doctemplate import BaseDocTemplate, PageTemplate
    from reportlab.platypus.frames import Frame
    from reportlab.platypus.tableofcontents import TableOfContents

    font = cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=1)
    heading = ParagraphStyle("heading", parent=body, fontSize=12.5, leading=18,
                             spaceBefore=6, spaceAfter=4)
    toc_style = ParagraphStyle("toc", parent=body, fontSize=10.5, leading=17)

    class Dossier(BaseDocTemplate):
        def afterFlowable(self, flowable):
            if getattr(flowable, "toc_heading", None):
                self.notify("TOCEntry", (0, flowable.toc_heading, self.page))

    def cell(text):
        return para(text, body)

    def table(rows, widths):
        t = Table([[cell(c) for c in row] for row in rows], colWidths=widths)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return t

    heading_text = _("Application dossier for a professional title")
    story = [para(heading_text, title), Spacer(1, 4 * mm),
             para(markup("{name} · {level} · {direction}", name=application.applicant.full_name,
                         level=application.level.name, direction=application.direction.name),
                  ParagraphStyle("sub", parent=body, alignment=1)),
             Spacer(1, 8 * mm), para(_("Contents"), heading)]
    toc = TableOfContents()
    toc.levelStyles = [toc_style]
    toc.dotsMinLevel = 0
    story += [toc, PageBreak()]
    for number, (name, rows) in enumerate(_sections(application), start=1):
        label = f"{number}. {name}"
        h = para(label, heading)
        h.toc_heading = label
        story.append(h)
        if name == _("Representative works"):
            if not rows:
                story.append(para(_("No representative work listed."), body))
            for index, (work, facts) in enumerate(rows, start=1):
                source = _("From the platform's records") if work.from_record \
                    else _("Uploaded by the applicant with evidence")
                story.append(para(markup("{n}. {title}", n=index, title=work.title), body))
                data = [(_("Kind of work"), work.get_kind_display()),
                        (_("Your role"), work.get_role_display()),
                        (_("Source"), source)]
                if work.role_detail:
                    data.append((_("What you did"), work.role_detail))
                story += [table(data + facts, [50 * mm, 120 * mm]), Spacer(1, 3 * mm)]
        elif not rows:
            story.append(para("—", body))
        elif rows[0][0] == "":
            story.append(para(rows[0][1], body))
        else:
            story.append(table(rows, [50 * mm, 120 * mm]))
        story.append(Spacer(1, 5 * mm))
    story.append(para(_("Generated by TM Hub on %(date)s from the platform's records.")
                      % {"date": timezone.localdate().isoformat()},
                      ParagraphStyle("small", parent=body, fontSize=8, leading=11)))

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, str(doc.page))
        canvas.restoreState()

    out = io.BytesIO()
    doc = Dossier(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                  topMargin=18 * mm, bottomMargin=18 * mm,
                  title=f"{heading_text} {application.pk}", author="TM Hub")
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=footer)])
    doc.multiBuild(story)
    return out.getvalue()
