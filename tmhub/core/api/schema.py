"""The OpenAPI schema tells the truth: what every operation may answer, in the shapes it answers.

`AutoSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds to drf-spectacular's defaults:

- the error responses an operation can give, in the project's error shape
  (`tmhub.core.api.errors`: `{"detail", "code", "fields": {name: [{"message", "code"}]}}`):
  400 for writes and for reads with query parameters, 401 where credentials are read, 403 for
  writes, 404 for routes with path parameters, for creates (a referenced record the caller may
  not see reads as missing), for paginated lists (a page past the end) and for views that
  declare `not_found_for_others` (open to some callers only), 409 for writes (a
  lost race, `conflict`), 415 for operations with a body (a content type other than JSON, form
  or multipart), 429 where a throttle applies. Responses an operation declares itself
  (`@extend_schema(responses={...})`) are kept as they are.
- in responses, fields a serializer drops for some callers (its `PRIVATE_FIELDS`, or the
  `guarded_fields` of its model's policy for a VisibleFieldsMixin serializer) are not
  required, and a field backed by a nullable model field is nullable even when the serializer
  declares it without `allow_null` (read-only slugs, write-required references).
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent, force_instance
from rest_framework import serializers

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

ERROR_FIELD_SCHEMA = {
    "type": "object",
    "properties": {"message": {"type": "string"}, "code": {"type": "string"}},
    "required": ["message", "code"],
}
ERROR_SCHEMA = {
    "type": "object",
    "description": "An API error. `code` is machine-readable (`invalid`, `not_found`, "
    "`conflict`, `throttled`, a service's refusal code, …); `detail` is for people.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "fields": {
            "type": "object",
            "description": "For invalid input (400 `invalid`): the messages per field "
            "(`non_field_errors` for the request as a whole; nested fields as `a.b`).",
            "additionalProperties": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ErrorField"},
            },
        },
    },
    "required": ["detail", "code"],
}

DESCRIPTIONS = {
    "400": "Invalid input (`invalid`, with `fields`), a malformed body, or a step the "
    "service refuses (its own `code`).",
    "401": "Credentials missing, invalid, revoked or expired.",
    "403": "Not allowed: this role may not take the action, or a session caller sent no "
    "CSRF token.",
    "404": "Not found, or not visible to the caller (a hidden record reads exactly like a "
    "missing one); for a list, a page past the end.",
    "409": "Changed by someone else in the meantime (`conflict`): reload and try again.",
    "415": "Unsupported content type: send JSON, form or multipart data.",
    "429": "Too many requests (`throttled`): wait and try again.",
}

PRIVATE_NOTE = "Only for callers who may see this record's private details."


def _guarded(serializer) -> set[str]:
    """Fields a VisibleFieldsMixin serializer may drop: those its model policy guards."""
    from tmhub.core.api.serializers import VisibleFieldsMixin
    from tmhub.core.policies import policy_for

    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if not isinstance(serializer, VisibleFieldsMixin) or model is None:
        return set()
    guarded = policy_for(model).guarded_fields
    return {name for name, f in serializer.fields.items()
            if name in guarded or (f.source or name).split(".")[0] in guarded}


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        for code in self._error_codes(operation):
            responses.setdefault(code, {
                "description": DESCRIPTIONS[code],
                "content": {"application/json": {"schema": self._error_ref()}},
            })
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_codes(self, operation) -> list[str]:
        params = operation.get("parameters", [])
        has_query = any(p.get("in") == "query" for p in params)
        has_path = any(p.get("in") == "path" for p in params)
        write = self.method in WRITE_METHODS
        authenticated = bool(self.view.get_authenticators())
        paginated_list = (self.method == "GET" and self._is_list_view()
                          and self._get_paginator() is not None)
        codes = []
        if write or has_query or "requestBody" in operation:
            codes.append("400")
        if authenticated:
            codes.append("401")
        if authenticated and write:
            codes.append("403")
        # a view open to only some callers (`not_found_for_others = True`) hides itself from
        # the rest as a missing page would
        hidden = getattr(self.view, "not_found_for_others", False)
        if has_path or paginated_list or self._is_create_operation() or hidden:
            codes.append("404")
        if write:
            codes.append("409")
        if "requestBody" in operation:
            codes.append("415")
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def _error_ref(self):
        self.registry.register_on_missing(ResolvedComponent(
            name="ErrorField", type=ResolvedComponent.SCHEMA, object="tmhub.ErrorField",
            schema=ERROR_FIELD_SCHEMA))
        component = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="tmhub.Error",
            schema=ERROR_SCHEMA)
        self.registry.register_on_missing(component)
        return component.ref

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction != "response":
            return schema
        serializer = force_instance(serializer)
        private = set(getattr(serializer, "PRIVATE_FIELDS", ())) | _guarded(serializer)
        properties = schema.get("properties", {})
        for name, field in serializer.fields.items():
            prop = properties.get(name)
            if prop is None:
                continue
            if name in private and "$ref" not in prop:
                prop["description"] = f"{prop['description']} {PRIVATE_NOTE}" \
                    if prop.get("description") else PRIVATE_NOTE
            if _model_field_is_nullable(serializer, field) and not _is_nullable(prop):
                properties[name] = _nullable(prop)
        if private and "required" in schema:
            schema["required"] = [n for n in schema["required"] if n not in private]
            if not schema["required"]:
                del schema["required"]
        return schema


def _model_field_is_nullable(serializer, field) -> bool:
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None or not isinstance(serializer, serializers.ModelSerializer):
        return False
    if isinstance(field, serializers.ManyRelatedField) or "." in (field.source or ""):
        return False
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return False
    # Concrete columns only: a reverse relation's `null` says nothing about the value.
    return bool(model_field.concrete and model_field.null and not model_field.many_to_many)


def _is_nullable(prop) -> bool:
    if prop.get("nullable"):
        return True
    return any(option.get("$ref", "").endswith("/NullEnum") for option in prop.get("oneOf", []))


def _nullable(prop):
    if "$ref" in prop:
        return {"allOf": [prop], "nullable": True}
    return {**prop, "nullable": True}

