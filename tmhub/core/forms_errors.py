"""Field-level errors: made once by services, shown next to the field by forms and the API."""

from django.core.exceptions import ValidationError


def field_error(field: str, message, code: str) -> ValidationError:
    """A field-level error that keeps its machine-readable code (UI and API alike)."""
    return ValidationError({field: ValidationError(message, code=code)})


def add_service_errors(form, exc: ValidationError) -> None:
    """Copy a service's ValidationError onto a form so the user sees it next to the field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)
