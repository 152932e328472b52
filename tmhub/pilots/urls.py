"""The pilots pages (mounted at /pilots/ in tmhub/urls.py)."""

app_name = "pilots"

urlpatterns: list = []
