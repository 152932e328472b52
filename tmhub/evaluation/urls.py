"""The evaluation pages (mounted at /evaluation/ in tmhub/urls.py)."""

app_name = "evaluation"

urlpatterns: list = []
