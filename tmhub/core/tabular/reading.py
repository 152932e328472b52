"""Reading uploaded .xlsx and .csv files safely: size, type, sheet, row and cell checks.

Every problem becomes a `TableError` with a message a user can act on; nothing here writes
to the database.

Rows are streamed (openpyxl read-only mode, the csv module's iterator) and reading stops as soon
as a limit is passed: more than `IMPORT_MAX_ROWS` data rows, more rows than that plus as many
empty ones, a sheet whose declared dimension is already larger, a workbook that decompresses to
more than `IMPORT_MAX_UNCOMPRESSED_BYTES`, or a cell longer than `IMPORT_MAX_CELL_CHARS`
characters (the message names its row and column). A declared dimension only ever refuses a
file early; it is never trusted to end the reading (openpyxl would stop at a lying one).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@")
MAX_COLUMNS = 200  # cells right of this are not read (every import has far fewer columns)
# A <row> element of sheet XML (any namespace prefix), not <rowBreaks> or <rows>.
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?row[\s>/]")


class TableError(Exception):
    """The file as a whole cannot be read; `code` is machine-readable."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cell texts): non-empty rows


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
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise TableError(_("The file is larger than the limit."), "file_too_large")
    if not data:
        raise TableError(_("The file is empty."), "file_empty")
    if name.endswith(".xlsx"):
        rows = _xlsx_rows(data, sheet_name)
    elif name.endswith(".csv"):
        rows = _csv_rows(data)
    else:
        raise TableError(_("Upload an Excel (.xlsx) or CSV (.csv) file."), "file_type")
    try:
        return _collect(rows)
    finally:
        rows.close()  # stop the reader (and close the workbook) where the limit was passed


def _too_many_rows(limit: int) -> TableError:
    return TableError(
        _("The file has more than %(limit)s rows; at most %(limit)s can be imported at once. "
          "Split it into smaller files.") % {"limit": limit},
        "too_many_rows",
    )


def _scan_limit(max_rows: int) -> int:
    """Rows read at most, empty ones included: the data rows plus as many empty ones."""
    return 2 * max_rows + 1


def _column_name(index: int, headers: list[str] | None) -> str:
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(index + 1)
    if headers and index < len(headers) and headers[index]:
        return f"{letter}（{headers[index]}）"
    return letter


def _check_cells(number: int, cells: list[str], headers: list[str] | None) -> None:
    limit = settings.IMPORT_MAX_CELL_CHARS
    for index, text in enumerate(cells):
        if len(text) > limit:
            raise TableError(
                _("Row %(row)s, column %(column)s: the cell has %(length)s characters; at most "
                  "%(limit)s are accepted.")
                % {"row": number, "column": _column_name(index, headers), "length": len(text),
                   "limit": limit},
                "cell_too_long",
            )


def _collect(rows) -> Table:
    """Header and non-empty data rows from an iterator of (row number, cells); stops reading
    at the first row past a limit."""
    max_rows = settings.IMPORT_MAX_ROWS
    headers: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        _check_cells(number, cells, headers)
        if headers is None:
            headers = [h.strip() for h in cells]
            while headers and not headers[-1]:
                headers.pop()
            continue
        if number > _scan_limit(max_rows) + 1:
            raise _too_many_rows(max_rows)
        if not any(cells):
            continue
        if len(body) >= max_rows:
            raise _too_many_rows(max_rows)
        body.append((number, (cells + [""] * len(headers))[: len(headers)]))
    if headers is None:
        raise TableError(_("The file has no header row."), "no_header")
    return Table(headers=headers, rows=body)


def _xlsx_rows(data: bytes, sheet_name: str | None):
    import openpyxl  # imported here: only imports need it

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TableError(
            _("This file is not a valid Excel workbook (it may be corrupted or renamed)."),
            "file_corrupt",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableError(
            _("This Excel file could not be read (it may be corrupted)."), "file_corrupt"
        ) from exc
    if unpacked > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
        raise TableError(
            _("The workbook unpacks to more than %(limit)s MB; split it into smaller files.")
            % {"limit": round(settings.IMPORT_MAX_UNCOMPRESSED_BYTES / 1024 / 1024, 1)},
            "file_too_large",
        )
    _precount_rows(data)
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
        declared = getattr(sheet, "max_row", None)
        if isinstance(declared, int) and declared > _scan_limit(settings.IMPORT_MAX_ROWS) + 1:
            raise _too_many_rows(settings.IMPORT_MAX_ROWS)
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # read to the real end, whatever the file declares
        try:
            header = next(sheet.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True),
                          ())
            header = ["" if v is None else _cell_text(v) for v in header]
            yield 1, header
            width = max((i + 1 for i, text in enumerate(header) if text), default=1)
            rows = sheet.iter_rows(min_row=2, max_col=width, values_only=True)
            for number, row in enumerate(rows, start=2):
                yield number, ["" if v is None else _cell_text(v) for v in row]
        except TableError:
            raise
        except Exception as exc:  # a broken sheet XML surfaces only while iterating
            raise TableError(
                _("This Excel file could not be read (it may be corrupted)."), "file_corrupt"
            ) from exc
    finally:
        workbook.close()


def _precount_rows(data: bytes) -> None:
    """Refuse a workbook with a sheet of too many rows before openpyxl opens it.

    openpyxl reads each sheet once to find its size when the file declares none, so a count
    after opening would come too late. Here the sheet XML is decompressed in chunks and its
    <row> elements counted, stopping as soon as there are more than the limit.
    """
    cap = _scan_limit(settings.IMPORT_MAX_ROWS) + 1  # the header row too
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                name = info.filename.lower()
                if "worksheets/" not in name or not name.endswith(".xml"):
                    continue
                count, tail = 0, b""
                with archive.open(info) as stream:
                    while chunk := stream.read(64 * 1024):
                        buffer = tail + chunk
                        # a tag that ends inside `tail` was counted with the previous chunk
                        count += sum(1 for m in ROW_TAG.finditer(buffer) if m.end() > len(tail))
                        if count > cap:
                            raise _too_many_rows(settings.IMPORT_MAX_ROWS)
                        tail = buffer[-64:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error,
            NotImplementedError) as exc:
        raise TableError(
            _("This Excel file could not be read (it may be corrupted)."), "file_corrupt"
        ) from exc


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if hasattr(value, "hour") and not (
            value.hour or value.minute or value.second
        ) else value.isoformat()
    return str(value).strip()


def _csv_rows(data: bytes):
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
    reader = csv.reader(io.StringIO(text))
    number = 0
    while True:
        number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The csv module refuses a field over its own limit (131,072 characters) before
            # our cell check sees it; any other csv error is a malformed file.
            if "field larger" in str(exc):
                raise TableError(
                    _("Row %(row)s: a cell is longer than %(limit)s characters.")
                    % {"row": number, "limit": settings.IMPORT_MAX_CELL_CHARS},
                    "cell_too_long",
                ) from exc
            raise TableError(
                _("The CSV file could not be read near row %(row)s.") % {"row": number},
                "file_corrupt",
            ) from exc
        yield number, [cell.strip() for cell in row[:MAX_COLUMNS]]
