"""The import framework: a spec per record kind, a dry run, an all-or-nothing commit.

An `ImportSpec` names its columns (accepting Chinese or English headers), cleans one row into
service arguments with field-level errors, and saves one row through the app's service. The
dry run reports every error of every row; the commit re-validates the stored file and saves
all rows in one transaction, so an import either lands whole or leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core.access import Scope
from tmhub.core.models import ImportJob
from tmhub.core.tabular.reading import TableError, looks_like_formula, read_table

MAX_REPORTED_ROWS = 500


@dataclass(frozen=True)
class ImportColumn:
    key: str
    headers: tuple[str, ...]  # every accepted header text, e.g. ("名称", "name")
    required: bool = False

    @property
    def label(self) -> str:
        return self.headers[0]


class RowErrors(Exception):
    """Raised by `clean_row`: {field key: [(message, code), …]}."""

    def __init__(self, errors: dict[str, list[tuple[str, str]]]):
        super().__init__(errors)
        self.errors = errors


class ImportSpec:
    """Subclass per importable record kind and `register()` it in the app's ready()."""

    kind: str = ""
    label = ""
    columns: list[ImportColumn] = []

    def can_import(self, scope: Scope) -> bool:
        return scope.is_municipal

    def new_context(self) -> dict:
        """State shared across the rows of one file (e.g. keys seen, for duplicates)."""
        return {}

    def clean_row(self, raw: dict[str, str], context: dict, *, actor) -> dict:
        raise NotImplementedError

    def save_row(self, cleaned: dict, *, actor) -> None:
        raise NotImplementedError


REGISTRY: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> ImportSpec:
    REGISTRY[spec.kind] = spec
    return spec


@dataclass
class RowReport:
    number: int
    errors: dict[str, list[dict]] = field(default_factory=dict)
    cleaned: dict | None = None


@dataclass
class ImportReport:
    total: int = 0
    rows: list[RowReport] = field(default_factory=list)
    file_error: dict | None = None

    @property
    def error_rows(self) -> list[RowReport]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.error_rows and self.total > 0

    def as_json(self, spec: ImportSpec) -> dict:
        labels = {c.key: c.label for c in spec.columns}
        return {
            "file_error": self.file_error,
            "rows": [
                {
                    "row": r.number,
                    "errors": [
                        {"field": key, "label": labels.get(key, key), **err}
                        for key, errs in r.errors.items()
                        for err in errs
                    ],
                }
                for r in self.error_rows[:MAX_REPORTED_ROWS]
            ],
        }


def _map_headers(spec: ImportSpec, headers: list[str]) -> dict[str, int]:
    normalised = [h.strip().lower() for h in headers]
    mapping: dict[str, int] = {}
    for column in spec.columns:
        for accepted in column.headers:
            if accepted.lower() in normalised:
                mapping[column.key] = normalised.index(accepted.lower())
                break
    missing = [c.label for c in spec.columns if c.required and c.key not in mapping]
    if missing:
        raise TableError(
            _("Required columns are missing: %(columns)s. Download the template to see them.")
            % {"columns": "、".join(missing)},
            "missing_column",
        )
    return mapping


def validate_upload(spec: ImportSpec, uploaded, *, actor, sheet_name=None) -> ImportReport:
    """Dry run: read and clean every row; write nothing."""
    report = ImportReport()
    try:
        table = read_table(uploaded, sheet_name=sheet_name)
        mapping = _map_headers(spec, table.headers)
    except TableError as exc:
        report.file_error = {"message": exc.message, "code": exc.code}
        return report
    context = spec.new_context()
    for offset, cells in enumerate(table.rows):
        if not any(cells):
            continue
        number = table.first_data_row + offset
        report.total += 1
        row = RowReport(number=number)
        raw = {key: cells[index] for key, index in mapping.items()}
        formula_fields = [key for key, text in raw.items() if looks_like_formula(text)]
        for key in formula_fields:
            row.errors.setdefault(key, []).append(
                {"message": _("Formulas are not accepted in imported cells."), "code": "formula"}
            )
        if not formula_fields:
            try:
                row.cleaned = spec.clean_row(raw, context, actor=actor)
            except RowErrors as exc:
                for key, errs in exc.errors.items():
                    row.errors.setdefault(key, []).extend(
                        {"message": str(message), "code": code} for message, code in errs
                    )
        report.rows.append(row)
    if report.total == 0:
        report.file_error = {"message": _("The file has no data rows."), "code": "no_rows"}
    return report


def start_import(spec: ImportSpec, uploaded, *, actor, sheet_name=None) -> ImportJob:
    """Validate an upload and keep it (with its report) as an ImportJob for a later commit."""
    uploaded.seek(0)
    report = validate_upload(spec, uploaded, actor=actor, sheet_name=sheet_name)
    job = ImportJob(
        kind=spec.kind,
        filename=(getattr(uploaded, "name", "") or "upload")[:255],
        status=ImportJob.Status.VALIDATED if report.ok else ImportJob.Status.INVALID,
        total_rows=report.total,
        error_rows=len(report.error_rows),
        report={**report.as_json(spec), "sheet": sheet_name or ""},
        created_by=actor,
    )
    if report.ok:
        uploaded.seek(0)
        job.file.save(job.filename, ContentFile(uploaded.read()), save=False)
    job.save()
    return job


def commit_import(job: ImportJob, *, actor) -> ImportJob:
    """Re-validate the stored file and save every row in one transaction, or none."""
    spec = REGISTRY[job.kind]
    if job.status != ImportJob.Status.VALIDATED:
        raise ValidationError(_("Only a validated import can be committed."), code="not_validated")
    with job.file.open("rb") as handle:
        stored = ContentFile(handle.read(), name=job.filename)  # the name tells the format
    report = validate_upload(spec, stored, actor=actor, sheet_name=job.report.get("sheet"))
    if not report.ok:
        job.status = ImportJob.Status.INVALID
        job.error_rows = len(report.error_rows)
        job.report = {**report.as_json(spec), "sheet": job.report.get("sheet", "")}
        job.save()
        return job
    with transaction.atomic():
        for row in report.rows:
            spec.save_row(row.cleaned, actor=actor)
        job.status = ImportJob.Status.COMMITTED
        job.created_rows = len(report.rows)
        job.committed_at = timezone.now()
        job.save()
    return job
