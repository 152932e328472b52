"""The districts pages (mounted at /districts/ in tmhub/urls.py)."""

app_name = "districts"

urlpatterns: list = []
