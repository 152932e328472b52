"""Core's own subscribers (discovered at start like every app's): the list cache's data
generation moves with every audited write (tmhub.core.result_cache)."""

from tmhub.core import result_cache  # noqa: F401 - importing it subscribes it
