"""The My work pages (mounted at /my/ in tmhub/urls.py)."""

app_name = "mywork"

urlpatterns: list = []
