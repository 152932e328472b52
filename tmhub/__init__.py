"""TM Hub: the platform for Beijing's technology-manager work plan."""

from tmhub.celery import app as celery_app

__all__ = ["celery_app"]
