"""The import framework: a spec per record kind, a dry run, an all-or-nothing commit.

An `ImportSpec` names its columns (accepting Chinese or English headers), cleans one row into
service arguments with field-level errors, and saves one row through the app's service. The
dry run reports every error of every row; the commit re-validates the stored file and saves
all rows in one transaction, so an import either lands whole or leaves nothing behind.

No oracle. A dry run answers row by row, thousands of rows at a time: if it said "this ID
number is already in the pool" for people the importer cannot see, it would tell an institution
administrator who is registered anywhere in the city. So a spec checks duplicates precisely only
within what the importer may see (`clean_row` gets the actor) and within the file; records
outside the importer's scope are looked up only at commit, through `held_elsewhere()`, and
only once the file is otherwise clean. If any row collides with such a record, the whole commit
is refused with one generic file-level answer (`not_importable_here`) that names neither the
row nor the reason (ID number, passport, e-mail, …); the city (municipal administrators) is
notified with the rows and reasons and can help. What an importer can still learn is one bit
per commit, and only at the price of a committed import (each "not held" answer creates the
records), an audit event and a message to the city — never silently, never in bulk.
Municipal importers see the whole city anyway and keep precise messages everywhere.

Dry runs are limited per user and rolling hour (`IMPORT_DRY_RUNS_PER_HOUR` uploads and
`IMPORT_ROWS_PER_HOUR` data rows, counted from the ImportJob history so every worker agrees);
past the limit `start_import` raises `ImportThrottled` and the page answers 429.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core.access import Scope, get_scope
from tmhub.core.models import ImportJob
from tmhub.core.tabular.reading import TableError, looks_like_formula, read_table

MAX_REPORTED_ROWS = 500
THROTTLE_WINDOW = datetime.timedelta(hours=1)
NOT_IMPORTABLE_HERE = "not_importable_here"


class ImportThrottled(Exception):
    """Too many dry runs (or rows) by this user in the last hour; `message` says when to retry."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImportColumn:
    key: str
    headers: tuple[str, ...]  # every accepted header text, e.g. ("名称", "name")
    required: bool = False

    @property
    def label(self) -> str:
        return self.headers[0]

    @property
    def label_en(self) -> str:
        """The first header in Latin letters: how an English file names the column."""
        return next((h for h in self.headers if h.isascii()), self.headers[0])


class RowErrors(Exception):
    """Raised by `clean_row`: {field key: [(message, code), …]}."""

    def __init__(self, errors: dict[str, list[tuple[str, str]]]):
        super().__init__(errors)
        self.errors = errors


class RowErrorCollector:
    """Gathers a row's errors while `clean_row` checks every cell, so the report names all
    of them at once; `raise_any` raises them together as `RowErrors`."""

    def __init__(self):
        self.errors: dict[str, list[tuple[str, str]]] = {}

    def add(self, key, message, code):
        self.errors.setdefault(key, []).append((message, code))

    def raise_any(self):
        if self.errors:
            raise RowErrors(self.errors)


def lookup_by(rows, *attributes) -> dict:
    """Rows by each of their ``attributes`` (codes, Chinese and English names), stripped and
    lower-cased, for matching a cell whichever name a file uses."""
    return {str(getattr(row, a)).strip().lower(): row for row in rows for a in attributes
            if getattr(row, a, "")}


class ImportSpec:
    """Subclass per importable record kind and `register()` it in the app's ready()."""

    kind: str = ""
    label = ""
    columns: list[ImportColumn] = []
    # Fields whose errors at commit may come from records outside the importer's scope: for a
    # non-municipal importer they get the generic answer, never their own message.
    identity_fields: frozenset[str] = frozenset({"__all__"})

    def can_import(self, scope: Scope) -> bool:
        return scope.is_municipal

    def new_context(self) -> dict:
        """State shared across the rows of one file (e.g. keys seen, for duplicates)."""
        return {}

    def clean_row(self, raw: dict[str, str], context: dict, *, actor) -> dict:
        raise NotImplementedError

    def save_row(self, cleaned: dict, *, actor) -> None:
        raise NotImplementedError

    def commit_notice(self, actor) -> str:
        """A note shown with every dry-run result of this actor (the same whatever the data)."""
        return ""

    def held_elsewhere(self, rows: list[RowReport], *, actor) -> list[dict]:
        """Rows colliding with records outside the actor's scope: [{"row": n, "reason": …}].

        Called only at commit, once every row is valid; the importer is never told which rows
        or why (see the module docstring). Nothing to check by default.
        """
        return []


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
    notice: str = ""
    notices: dict = field(default_factory=dict)  # the notice in every UI language
    # column key → the header as the file wrote it: errors name the column the way the reader's
    # own file does, in whatever language that is
    headers: dict = field(default_factory=dict)

    @property
    def error_rows(self) -> list[RowReport]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.error_rows and self.total > 0

    def as_json(self, spec: ImportSpec) -> dict:
        labels = {c.key: c.label for c in spec.columns} | self.headers
        labels_en = {c.key: c.label_en for c in spec.columns} | self.headers
        return {
            "file_error": self.file_error,
            "notice": self.notice,
            **{f"notice_{_key(code)}": text for code, text in self.notices.items()},
            "rows": [
                {
                    "row": r.number,
                    "errors": [
                        {"field": key, "label": labels.get(key, key),
                         "label_en": labels_en.get(key, key), **err}
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


def validate_upload(spec: ImportSpec, uploaded, *, actor, sheet_name=None,
                    on_read=None) -> ImportReport:
    """Dry run: read and clean every row; write nothing.

    `on_read(rows)` is called with the number of data rows once the file is read, before any
    row is checked (the throttle of `start_import` refuses there).
    """
    notices = _in_every_language(lambda: spec.commit_notice(actor))
    report = ImportReport(notice=notices.get(translation.get_language(), ""))
    report.notices = notices
    try:
        table = read_table(uploaded, sheet_name=sheet_name)
        mapping = _map_headers(spec, table.headers)
    except TableError as exc:
        report.file_error = {"message": exc.message, "code": exc.code}
        return report
    if on_read is not None:
        on_read(len(table.rows))
    report.headers = {key: table.headers[index] for key, index in mapping.items()}
    report.total, report.rows = len(table.rows), _check_rows(spec, table, mapping, actor)
    if report.error_rows:
        _translate_errors(report, spec, table, mapping, actor)
    if report.total == 0:
        report.file_error = {"message": _("The file has no data rows."), "code": "no_rows"}
    return report


def _check_rows(spec: ImportSpec, table, mapping, actor) -> list[RowReport]:
    context = spec.new_context()
    rows = []
    for number, cells in table.rows:
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
        rows.append(row)
    return rows


def _key(language: str) -> str:
    """The language code as a report key a template can read (zh-hans → zh_hans)."""
    return language.replace("-", "_")


def _in_every_language(make) -> dict[str, str]:
    """{language code: the text `make()` gives with that language active}."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = str(make() or "")
    return texts


def _translate_errors(report: ImportReport, spec, table, mapping, actor) -> None:
    """Give each row error its message in every UI language (`message_zh_hans`, `message_en`),
    so the report reads in the language of whoever opens it, not only the uploader's. The rows
    are checked again with the other language active: the same file and context give the same
    errors."""
    current = translation.get_language()
    for code, _name in settings.LANGUAGES:
        if code == current:
            again = report.rows
        else:
            with translation.override(code):
                again = _check_rows(spec, table, mapping, actor)
        for row, other in zip(report.rows, again, strict=True):
            for key, errors in row.errors.items():
                for error, translated in zip(errors, other.errors.get(key, []), strict=False):
                    error[f"message_{_key(code)}"] = translated["message"]


def _recent_jobs(actor):
    return ImportJob.objects.filter(created_by_id=actor.pk,
                                    created_at__gte=timezone.now() - THROTTLE_WINDOW)


def _retry_minutes(jobs) -> int:
    oldest = jobs.order_by("created_at").values_list("created_at", flat=True).first()
    if oldest is None:
        return 60
    wait = (oldest + THROTTLE_WINDOW - timezone.now()).total_seconds()
    return max(1, math.ceil(wait / 60))


def check_throttle(actor, rows: int = 0) -> None:
    """Refuse a dry run past `IMPORT_DRY_RUNS_PER_HOUR` uploads or `IMPORT_ROWS_PER_HOUR` rows
    checked by this user in the last hour (`rows`: the rows about to be checked)."""
    jobs = _recent_jobs(actor)
    runs_limit = settings.IMPORT_DRY_RUNS_PER_HOUR
    if rows == 0 and jobs.count() >= runs_limit:
        raise ImportThrottled(
            _("Too many import checks: at most %(limit)s files per hour. Try again in "
              "%(minutes)s minutes.") % {"limit": runs_limit, "minutes": _retry_minutes(jobs)}
        )
    rows_limit = settings.IMPORT_ROWS_PER_HOUR
    checked = jobs.aggregate(total=Sum("total_rows"))["total"] or 0
    if rows and checked + rows > rows_limit:
        raise ImportThrottled(
            _("Too many rows checked: at most %(limit)s rows per hour, and this file has "
              "%(rows)s more. Try again in %(minutes)s minutes, or import a smaller file.")
            % {"limit": rows_limit, "rows": rows, "minutes": _retry_minutes(jobs)}
        )


def start_import(spec: ImportSpec, uploaded, *, actor, sheet_name=None) -> ImportJob:
    """Validate an upload and keep it (with its report) as an ImportJob for a later commit.

    Raises `ImportThrottled` (and keeps nothing) past the hourly limits of the actor.
    """
    check_throttle(actor)
    uploaded.seek(0)
    report = validate_upload(spec, uploaded, actor=actor, sheet_name=sheet_name,
                             on_read=lambda rows: check_throttle(actor, rows=rows))
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


class _RowFailed(Exception):
    def __init__(self, row: RowReport, error: ValidationError):
        super().__init__(row.number)
        self.row = row
        self.error = error


def _errors_of(error: ValidationError) -> dict[str, list[dict]]:
    if hasattr(error, "error_dict"):
        return {key: [{"message": item.messages[0], "code": item.code or "invalid"}
                      for item in items] for key, items in error.error_dict.items()}
    return {"__all__": [{"message": item.messages[0], "code": item.code or "invalid"}
                        for item in error.error_list]}


def _refuse(job: ImportJob, spec: ImportSpec, held: list[dict], *, actor) -> ImportJob:
    """Refuse the whole commit with one answer that names no row and no reason; tell the city."""
    from tmhub.accounts.models import User
    from tmhub.core.audit import record_event
    from tmhub.core.notifications import notify
    from tmhub.core.roles import Role

    job.status = ImportJob.Status.INVALID
    job.error_rows = 0
    job.report = {
        "file_error": {
            "message": _("Some rows of this file cannot be imported here, so nothing was saved. "
                         "Please contact the city (市科委): they can see which rows and why."),
            "code": NOT_IMPORTABLE_HERE,
        },
        **{key: text for key, text in job.report.items() if key.startswith("notice")},
        "rows": [],
        "sheet": job.report.get("sheet", ""),
    }
    job.save()
    record_event(actor=actor, obj=job, event_type="import_refused",
                 data={"kind": job.kind, "held_elsewhere": held})
    city = User.objects.filter(memberships__role=Role.MUNICIPAL_ADMIN,
                               memberships__is_active=True, is_active=True).distinct()
    rows = "、".join(str(item["row"]) for item in held[:50])
    notify(
        city, kind="core.import_refused", about=job,
        subject=gettext_lazy("Import refused for %(user)s: rows already held elsewhere"),
        body=gettext_lazy(
            "%(user)s tried to import %(kind)s (%(file)s). Rows %(rows)s collide with records "
            "outside their scope (see the audit event of the import). Nothing was saved."),
        params={"user": str(actor), "kind": spec.label, "file": job.filename, "rows": rows},
        url=reverse("core:import-detail", args=[job.pk]),
    )
    return job


def commit_import(job: ImportJob, *, actor) -> ImportJob:
    """Re-validate the stored file and save every row in one transaction, or none.

    Rows that collide with records outside the actor's scope refuse the whole file with one
    generic answer (see the module docstring); so does a collision that appears while saving.
    """
    spec = REGISTRY[job.kind]
    with transaction.atomic():
        # Lock the job and read its status from the database, not from the caller's copy: a
        # second commit (a double click, a stale page, two requests at once) waits here and
        # then finds the job committed, instead of landing every row again.
        ImportJob.objects.select_for_update().filter(pk=job.pk).exists()
        job.refresh_from_db()
        if job.status == ImportJob.Status.COMMITTED:
            raise ValidationError(_("This import has already been committed; nothing was "
                                    "imported again."), code="already_committed")
        if job.status != ImportJob.Status.VALIDATED:
            raise ValidationError(_("Only a validated import can be committed."),
                                  code="not_validated")
        return _commit_validated(job, spec, actor=actor)


def _commit_validated(job: ImportJob, spec, *, actor) -> ImportJob:
    with job.file.open("rb") as handle:
        stored = ContentFile(handle.read(), name=job.filename)  # the name tells the format
    report = validate_upload(spec, stored, actor=actor, sheet_name=job.report.get("sheet"))
    if not report.ok:
        job.status = ImportJob.Status.INVALID
        job.error_rows = len(report.error_rows)
        job.report = {**report.as_json(spec), "sheet": job.report.get("sheet", "")}
        job.save()
        return job
    held = spec.held_elsewhere(report.rows, actor=actor)
    if held:
        return _refuse(job, spec, held, actor=actor)
    try:
        with transaction.atomic():
            for row in report.rows:
                try:
                    spec.save_row(row.cleaned, actor=actor)
                except ValidationError as exc:
                    raise _RowFailed(row, exc) from exc
            job.status = ImportJob.Status.COMMITTED
            job.created_rows = len(report.rows)
            job.committed_at = timezone.now()
            job.save()
    except _RowFailed as failed:
        job.refresh_from_db()
        errors = _errors_of(failed.error)
        if not get_scope(actor).is_municipal and set(errors) <= spec.identity_fields:
            # Someone else's record appeared since the check: the same answer as above.
            return _refuse(job, spec, [{"row": failed.row.number, "reason": "while_saving"}],
                           actor=actor)
        failed.row.errors = errors
        report.rows = [failed.row]
        job.status = ImportJob.Status.INVALID
        job.error_rows = 1
        job.report = {**report.as_json(spec), "sheet": job.report.get("sheet", "")}
        job.save()
    return job
