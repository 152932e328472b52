"""API errors as JSON with field-level messages and machine-readable codes.

Shape: {"detail": "...", "code": "...", "fields": {"name": [{"message": "...", "code": "..."}]}}
Django ValidationErrors raised by services become 400s in the same shape, so a service's
refusal reads the same in the UI and the API. A lost race (a `ConflictError` from a service, a
database lock timeout, deadlock or serialization failure) is a 409 with code "conflict":
changed by someone else, reload and try again (tmhub.core.conflicts).
"""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tmhub.core.conflicts import CONFLICT_MESSAGE, ConflictError, is_lock_error

logger = logging.getLogger(__name__)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = CONFLICT_MESSAGE
    default_code = "conflict"


def _flatten(detail, fields: dict, prefix: str = "") -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            _flatten(value, fields, name)
    elif isinstance(detail, list):
        for item in detail:
            _flatten(item, fields, prefix)
    else:
        fields.setdefault(prefix or "non_field_errors", []).append(
            {"message": str(detail), "code": getattr(detail, "code", "invalid")}
        )


def _django_validation_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail = {
            key: [exceptions.ErrorDetail(m, code=e.code or "invalid") for e in errs for m in e]
            for key, errs in exc.error_dict.items()
        }
    else:
        detail = {
            "non_field_errors": [
                exceptions.ErrorDetail(m, code=e.code or "invalid")
                for e in exc.error_list
                for m in e
            ]
        }
    return exceptions.ValidationError(detail)


def exception_handler(exc, context):
    if isinstance(exc, ConflictError):
        exc = Conflict(" ".join(exc.messages))
    elif is_lock_error(exc):
        logger.warning("Lock conflict answered 409: %s", exc)
        exc = Conflict()
    if isinstance(exc, DjangoValidationError):
        exc = _django_validation_to_drf(exc)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields: dict = {}
        _flatten(exc.detail, fields)
        response.data = {
            "detail": _("The request has invalid fields."),
            "code": "invalid",
            "fields": fields,
        }
        response.status_code = status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {
            "detail": str(exc.detail) if not isinstance(exc.detail, (dict, list)) else exc.detail,
            "code": codes if isinstance(codes, str) else "error",
        }
    return Response(response.data, status=response.status_code, headers=response.headers)
