"""Test-time audit guard: a test fails when the application saves a tracked record unaudited.

ARCHITECTURE §1 and §4: every write goes through a service that writes its audit row in the
same transaction. Nothing in the code enforces it, and a service that forgets `record_change`
still passes its own tests. So while a test runs, the guard listens to `post_save` and
`post_delete` (signals are fine in tests; the application itself uses none) and, when the test
ends, compares what was written with the audit rows written in the same test.

The rules, each decided here and nowhere else:

* **Tracked** — every model of a `tmhub.*` app (fail closed: a new module's models are guarded
  without anyone adding them), except the models in `EXEMPT`, each with its reason.
* **Matched** — a write of (model, pk) is audited when the same unit of work wrote an
  `ObjectChange` or a `WorkflowEvent` for that content type and pk (a workflow step is audited
  by its event, an edit by its change row), or for the record it belongs with
  (`AUDITED_WITH`: an achievement's inventors are part of the achievement's change row). The
  unit is the outermost application call on the stack: the service a test called, or the
  request a test client made (`application_call`). Matching per unit, not per test, is what
  catches a profile created with its change row and then edited without one in one test.
* **Who wrote it** — only writes made by application code count: the guard looks at the call
  stack of each write and counts it when a frame of the project outside tests and outside model
  modules (services, views, API, imports, tasks, commands) is on it. Rows a test or a fixture
  makes directly (`Model.objects.create`, `User.objects.create_superuser`, factories) are the
  test's own set-up, not the platform's writes, and are not judged here (the convention that
  test data goes through services is kept by review). Fixture set-up through services *is*
  judged: the guard runs from the first fixture to the end of the test, so a service that
  writes unaudited is caught whichever test or fixture calls it.
* **Bookkeeping fields** — a save whose `update_fields` lie inside `BOOKKEEPING_FIELDS` of its
  model (Django's `last_login`, a token's `last_used_at`, a project's optimistic-lock
  `version`) is not a change of the record. Reference data the migrations seed, put back by
  `core.reference_data` after a transactional test, is set-up too (`NOT_APPLICATION_CODE`).
* **Rolled back** — a write undone by its transaction or savepoint (a service that saved, then
  refused) never happened and is not judged: each write leaves a no-op on-commit marker, which
  Django drops on rollback (`settle`, called by conftest before the test's transaction ends).

What it cannot see: `QuerySet.update()`, `bulk_create()` and `bulk_update()` send no signals.

It is on for every run (conftest.py's `_audit_guard` fixture); `TMHUB_AUDIT_GUARD=0` turns it
off.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save

# On for every test run; TMHUB_AUDIT_GUARD=0 turns it off while investigating something else.
ENABLED = os.environ.get("TMHUB_AUDIT_GUARD", "1") != "0"

# Models whose writes are not audited by design (label → why).
EXEMPT: dict[str, str] = {
    "core.objectchange": "the change log itself",
    "core.workflowevent": "the workflow log itself",
    "core.notification": "a message to a person (sent, read), not a record of the platform",
    "core.sequence": "a number counter; the numbered record is audited when it takes a number",
    "core.importjob": "an upload with its dry-run report is its own record (who, when, what); "
    "the rows a commit creates are audited by the services that save them",
    "core.district": "reference taxonomy seeded by migrations; edited only in the Django admin, "
    "which keeps its own LogEntry",
    "core.industryfield": "reference taxonomy seeded by migrations (see core.district)",
    "core.discipline": "reference taxonomy seeded by migrations (see core.district)",
    "talent.competence": "reference taxonomy seeded by migrations (see core.district)",
    "training.dashboardfigure": "a figure derived from audited records, recomputed on change",
    "training.trainedmanager": "a summary derived from audited enrolments and hours",
    "insights.dashboardtotal": "a running total derived from audited records, booked on change",
    "insights.dashboardcontribution": "what one audited record adds to the dashboard's totals",
    "matching.externalrecord": "a mirror of another system's records for the match index",
}

# Child rows audited as part of the record they belong with (label → foreign key to it).
AUDITED_WITH: dict[str, str] = {
    "accounts.apitoken": "user",  # issue, revoke and rotation are events of the owner
    "transfer.inventor": "achievement",
    "transfer.contractparty": "contract",
    "transfer.splitallocation": "split",
    "training.completionrulemodule": "rule",
}

# Saves that touch only these fields are bookkeeping, not changes of the record.
BOOKKEEPING_FIELDS: dict[str, frozenset[str]] = {
    "accounts.user": frozenset({"last_login"}),
    "accounts.apitoken": frozenset({"last_used_at"}),
    "transfer.project": frozenset({"version", "updated_at"}),  # the optimistic-lock counter
}

# Project modules whose writes are not the platform's (path → why).
NOT_APPLICATION_CODE: dict[str, str] = {
    "tmhub/core/reference_data.py": "puts back the rows the migrations seeded, after a "
    "transactional test flushed them: set-up, like the migrations themselves",
    "tmhub/core/rules.py": "its only write is seed_rows, the migrations' seed of rule rows "
    "(re-applied by reference_data after a flush)",
}

AUDIT_MODELS = ("core.objectchange", "core.workflowevent")
_PROJECT = str(Path(settings.BASE_DIR).resolve())
_VENV = str(Path(sys.prefix).resolve())


def tracked_labels() -> frozenset[str]:
    """Every concrete model of the project's apps, minus `EXEMPT` (and Django's m2m tables)."""
    labels = set()
    for model in apps.get_models():
        if model.__module__.startswith("tmhub.") and not model._meta.auto_created:
            labels.add(model._meta.label_lower)
    unknown = (set(EXEMPT) | set(AUDITED_WITH) | set(BOOKKEEPING_FIELDS)) - labels
    assert not unknown, f"audit guard names models that do not exist: {sorted(unknown)}"
    return frozenset(labels - set(EXEMPT))


def is_application_frame(code) -> bool:
    """A frame of the platform's own code (services, views, API, imports, tasks, commands,
    middleware): in the project's `tmhub/` package, not tests, not model modules."""
    path = code.co_filename.replace("\\", "/")
    if not path.startswith(_PROJECT + "/") or path.startswith(_VENV):
        return False
    relative = path[len(_PROJECT) + 1 :]
    if not relative.startswith("tmhub/") or "/tests/" in relative:
        return False
    if relative in NOT_APPLICATION_CODE:
        return False
    return not (
        relative.endswith("/models.py") or "/models/" in relative or "/migrations/" in relative
    )


def _where(frame) -> str:
    code = frame.f_code
    return f"{code.co_filename[len(_PROJECT) + 1 :]}:{frame.f_lineno} in {code.co_name}"


def application_call(predicate=is_application_frame):
    """(innermost, outermost) application frames of the current stack, or (None, None).

    The outermost one is the unit of work: the service a test called, or the request (the
    middleware) a client made; a write and its audit row belong to the same unit.
    """
    innermost = outermost = None
    frame = sys._getframe(1)
    while frame is not None:
        if predicate(frame.f_code):
            innermost = innermost or frame
            outermost = frame
        frame = frame.f_back
    return innermost, outermost


class _CommitMarker:
    """A no-op on-commit callback: it runs when the write's transaction commits, and Django
    drops it when the write's savepoint or transaction rolls back."""

    __slots__ = ("ran", "connection")

    def __init__(self, connection):
        self.ran, self.connection = False, connection

    def __call__(self):
        self.ran = True

    def survived(self) -> bool:
        return self.ran or any(cb is self for _sids, cb, _robust in self.connection.run_on_commit)


@dataclass(frozen=True)
class Write:
    label: str
    key: tuple[int, str]  # (content type id, pk)
    parent: tuple[int, str] | None  # the record it is audited with
    action: str  # "save" or "delete"
    caller: str  # where the application wrote it
    unit: int  # id of the outermost application frame (kept alive by the guard)
    marker: _CommitMarker | None = field(default=None, compare=False)  # None: committed

    def __str__(self) -> str:
        return f"{self.label} pk={self.key[1]} ({self.action}) by {self.caller}"


@dataclass
class AuditGuard:
    """Collects the writes and audit rows of one test; `offenders()` are the unaudited writes.

    A write is matched only by an audit row of the same unit of work (see `application_call`),
    so a record created with its change row and then edited without one in the same test is
    still caught.
    """

    predicate: object = is_application_frame
    writes: list[Write] = field(default_factory=list)
    audited: set[tuple[int, tuple[int, str]]] = field(default_factory=set)

    def __post_init__(self):
        self.tracked = tracked_labels()
        self._uid = f"audit-guard-{id(self)}"
        # The unit frames stay referenced until the test ends, so no later call can reuse
        # their id and be taken for the same unit.
        self._units: dict[int, object] = {}

    def _unit(self):
        innermost, outermost = application_call(self.predicate)
        if outermost is None:
            return None, None
        self._units[id(outermost)] = outermost
        return _where(innermost), id(outermost)

    def _key(self, model, pk) -> tuple[int, str]:
        return ContentType.objects.get_for_model(model, for_concrete_model=False).pk, str(pk)

    def _parent(self, instance, label):
        name = AUDITED_WITH.get(label)
        if name is None:
            return None
        related = instance._meta.get_field(name).related_model
        return self._key(related, getattr(instance, f"{name}_id"))

    # ---- signal receivers
    def _write(self, sender, instance, action, update_fields=None):
        label = sender._meta.label_lower
        if label in AUDIT_MODELS:
            _caller, unit = self._unit()
            key = (instance.content_type_id, str(instance.object_id))
            self.audited.add((unit, key))
            return
        if label not in self.tracked:
            return
        if update_fields and set(update_fields) <= BOOKKEEPING_FIELDS.get(label, frozenset()):
            return
        caller, unit = self._unit()
        if unit is None:
            return  # made by the test's own set-up (see the module docstring)
        marker = None
        db = transaction.get_connection(instance._state.db or "default")
        if db.in_atomic_block:
            marker = _CommitMarker(db)
            transaction.on_commit(marker, using=db.alias)
        self.writes.append(
            Write(
                label,
                self._key(sender, instance.pk),
                self._parent(instance, label),
                action,
                caller,
                unit,
                marker,
            )
        )

    def _on_save(self, sender, instance, update_fields=None, raw=False, **kwargs):
        if not raw:  # loaddata is not a write of the platform
            self._write(sender, instance, "save", update_fields)

    def _on_delete(self, sender, instance, **kwargs):
        self._write(sender, instance, "delete")

    # ---- lifetime
    def start(self) -> AuditGuard:
        post_save.connect(self._on_save, weak=False, dispatch_uid=f"{self._uid}-save")
        post_delete.connect(self._on_delete, weak=False, dispatch_uid=f"{self._uid}-delete")
        return self

    def stop(self) -> None:
        post_save.disconnect(dispatch_uid=f"{self._uid}-save")
        post_delete.disconnect(dispatch_uid=f"{self._uid}-delete")
        self._units.clear()

    def settle(self) -> None:
        """Forget the writes that were rolled back (they never happened). Call it while the
        test's database transaction is still open: conftest does, before fixture teardown."""
        self.writes = [w for w in self.writes if w.marker is None or w.marker.survived()]
        self.writes = [replace(w, marker=None) for w in self.writes]

    def offenders(self) -> list[Write]:
        self.settle()
        seen, result = set(), []
        for write in self.writes:
            if (write.unit, write.key) in self.audited or (
                write.parent and (write.unit, write.parent) in self.audited
            ):
                continue
            if (write.key, write.action, write.caller) not in seen:
                seen.add((write.key, write.action, write.caller))
                result.append(write)
        return result

    def failure(self) -> str | None:
        offenders = self.offenders()
        if not offenders:
            return None
        lines = "\n".join(f"  - {w}" for w in offenders)
        return (
            "Tracked records were written without an ObjectChange or WorkflowEvent by the "
            f"same call (tmhub/core/tests/audit_guard.py):\n{lines}"
        )
