"""Exporting any list to .xlsx or .csv, with spreadsheet formula injection neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import pgettext

from tmhub.core.tabular.reading import FORMULA_PREFIXES


@dataclass(frozen=True)
class ExportColumn:
    label: str
    value: Callable[[object], object]


def neutralise(value) -> object:
    """Prefix text that a spreadsheet would evaluate with an apostrophe, so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES + ("\t", "\r")):
        return "'" + value
    return value


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        # In the language of the request, as the page that offered the export.
        return pgettext("boolean", "Yes") if value else pgettext("boolean", "No")
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return value
    return str(value)


def export_rows(rows: Iterable, columns: list[ExportColumn], fmt: str, filename: str):
    """An HttpResponse with the rows as an .xlsx workbook or a UTF-8 (BOM) CSV."""
    header = [str(c.label) for c in columns]
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralise(_plain(c.value(row))) for c in columns])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
        return response
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=filename[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([neutralise(_plain(c.value(row))) for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response
