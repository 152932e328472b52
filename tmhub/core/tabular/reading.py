"""Reading uploaded .xlsx and .csv files safely: size, type, sheet and cell checks.

Every problem becomes a `TableError` with a message a user can act on; nothing here writes
to the database.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@")


class TableError(Exception):
    """The file as a whole cannot be read; `code` is machine-readable."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # cell text, row by row, without the header row
    first_data_row: int  # the spreadsheet row number of rows[0]


def looks_like_formula(text: str) -> bool:
    """True for cell text that a spreadsheet would evaluate (formula injection)."""
    stripped = text.lstrip()
    if not stripped or not stripped.startswith(FORMULA_PREFIXES):
        return False
    # A plain negative or signed number is data, not a formula.
    try:
        float(stripped)
        return False
    except ValueError:
        return True


def read_table(uploaded, *, sheet_name: str | None = None) -> Table:
    """Read the first (or the named) sheet of an .xlsx, or a UTF-8 .csv, into text cells."""
    size = getattr(uploaded, "size", None)
    limit = settings.IMPORT_MAX_BYTES
    if size is not None and size > limit:
        raise TableError(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round(size / 1024 / 1024, 1), "limit": round(limit / 1024 / 1024, 1)},
            "file_too_large",
        )
    name = (getattr(uploaded, "name", "") or "").lower()
    data = uploaded.read()
    if len(data) > limit:
        raise TableError(_("The file is larger than the limit."), "file_too_large")
    if not data:
        raise TableError(_("The file is empty."), "file_empty")
    if name.endswith(".xlsx"):
        table = _read_xlsx(data, sheet_name)
    elif name.endswith(".csv"):
        table = _read_csv(data)
    else:
        raise TableError(_("Upload an Excel (.xlsx) or CSV (.csv) file."), "file_type")
    if len(table.rows) > settings.IMPORT_MAX_ROWS:
        raise TableError(
            _("The file has %(rows)s rows; at most %(limit)s can be imported at once.")
            % {"rows": len(table.rows), "limit": settings.IMPORT_MAX_ROWS},
            "too_many_rows",
        )
    return table


def _read_xlsx(data: bytes, sheet_name: str | None) -> Table:
    import openpyxl  # imported here: only imports need it

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TableError(
            _("This file is not a valid Excel workbook (it may be corrupted or renamed)."),
            "file_corrupt",
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for broken archives
        raise TableError(
            _("This Excel file could not be read (it may be corrupted)."), "file_corrupt"
        ) from exc
    try:
        if sheet_name:
            if sheet_name not in workbook.sheetnames:
                raise TableError(
                    _("The workbook has no sheet named “%(name)s”; it has: %(sheets)s.")
                    % {"name": sheet_name, "sheets": "、".join(workbook.sheetnames)},
                    "sheet_missing",
                )
            sheet = workbook[sheet_name]
        else:
            sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(["" if v is None else _cell_text(v) for v in row])
    finally:
        workbook.close()
    return _to_table(rows)


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if hasattr(value, "hour") and not (
            value.hour or value.minute or value.second
        ) else value.isoformat()
    return str(value).strip()


def _read_csv(data: bytes) -> Table:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableError(_("The CSV file is not UTF-8 or GB18030 text."), "file_encoding")
    if "\x00" in text:
        raise TableError(_("The CSV file contains binary data."), "file_corrupt")
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    return _to_table(rows)


def _to_table(rows: list[list[str]]) -> Table:
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise TableError(_("The file has no header row."), "no_header")
    headers = [h.strip() for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    body = []
    for row in rows[1:]:
        padded = (row + [""] * len(headers))[: len(headers)]
        body.append(padded)
    return Table(headers=headers, rows=body, first_data_row=2)
