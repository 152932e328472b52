"""Which request or job is running: every audit row it writes carries the same operation id.

NetBox keeps the current request in a context variable (netbox/context.py, `current_request`)
so its change log can group the rows of one request. TM Hub writes audit rows in services, which
also run in Celery tasks, management commands and the shell, so the context holds an operation
id rather than the request: the middleware opens one per request, a Celery signal one per task,
and `operation()` one for any other job. Rows written outside every operation get a fresh id.
"""

from __future__ import annotations

import contextvars
import uuid
from contextlib import contextmanager

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "tmhub_operation_id", default=None
)


def current_operation_id() -> str | None:
    return _current.get()


def new_operation_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def operation(operation_id: str | None = None):
    """Run the block as one operation (a job, a command); nested blocks keep the outer id."""
    if _current.get() is not None:
        yield _current.get()
        return
    token = _current.set(operation_id or new_operation_id())
    try:
        yield _current.get()
    finally:
        _current.reset(token)


class OperationMiddleware:
    """One operation per request; the id is also sent back as the X-Request-ID header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(new_operation_id())
        request.operation_id = _current.get()
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request.operation_id
        return response


def _task_started(task_id=None, **kwargs):
    # An eager task run inside a request stays part of that request's operation.
    if _current.get() is None:
        kwargs["task"].request.__dict__["_tmhub_operation_token"] = _current.set(
            task_id or new_operation_id()
        )


def _task_ended(task_id=None, **kwargs):
    token = kwargs["task"].request.__dict__.pop("_tmhub_operation_token", None)
    if token is not None:
        _current.reset(token)


def connect_celery() -> None:
    """Every Celery task runs as one operation whose id is the task id."""
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(_task_started, weak=False, dispatch_uid="tmhub-operation-start")
    task_postrun.connect(_task_ended, weak=False, dispatch_uid="tmhub-operation-end")
