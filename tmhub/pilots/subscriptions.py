"""Imported when Django starts: registers the pilots' notification kinds."""

from tmhub.pilots import notices  # noqa: F401
