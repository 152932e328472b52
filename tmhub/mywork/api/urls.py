"""The My work API (mounted under /api/v1/ by tmhub/api_urls.py)."""

urlpatterns: list = []
