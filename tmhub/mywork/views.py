"""My work (/my/): every item awaiting the signed-in person, across every module."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tmhub.core.access import get_scope
from tmhub.core.listing import page_or_404
from tmhub.core.roles import Role
from tmhub.mywork import selection


@login_required
@require_GET
def home(request):
    scope = get_scope(request.user)
    today = timezone.localdate()
    form, items, counts = selection.select(scope, request.GET, today=today)
    page = page_or_404(items, request)
    query = request.GET.copy()
    query.pop("page", None)
    rows = [{"item": item, "overdue": item.overdue(today), "days_left": item.days_left(today),
             "days_overdue": -(item.days_left(today) or 0)}
            for item in page.object_list]
    modules = [{"code": code, "label": selection.module_label(code), "count": count}
               for code, count in counts.items()]
    return render(request, "mywork/home.html", {
        "form": form, "rows": rows, "page_obj": page, "paginator": page.paginator,
        "querystring": query.urlencode(), "modules": modules, "today": today,
        "total": sum(counts.values()),
        "overdue_count": sum(1 for item in items if item.overdue(today)),
        "can_patents": scope.is_municipal or bool(scope.orgs(Role.INSTITUTION_ADMIN)),
        "filtered": any(request.GET.get(k) for k in ("q", "module", "due")),
    })
