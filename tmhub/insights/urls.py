"""The insights pages (mounted at /insights/ in tmhub/urls.py)."""

app_name = "insights"

urlpatterns: list = []
