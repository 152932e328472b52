"""The network pages (mounted at /network/ in tmhub/urls.py)."""

app_name = "network"

urlpatterns: list = []
