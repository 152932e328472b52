"""What awaits a district's officers (My work, tmhub.core.work_items): applications for
their commissioner vacancies to decide, due when applications close. Rows are narrowed by the
posts' policy (`appoint`), never by a rule of this module."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from tmhub.core import policies, work_items
from tmhub.core.access import CHANGE, Scope, get_scope
from tmhub.districts.choices import ApplicationStatus, PostStatus
from tmhub.districts.models import CommissionerPost


def _as_scope(actor) -> Scope:
    return actor if isinstance(actor, Scope) else get_scope(actor)


@work_items.register("districts.decide_applications", module="districts",
                     label=_("Commissioner applications to decide"))
def applications_to_decide(scope):
    """One item per open post with undecided applications the scope may appoint from."""
    scope = _as_scope(scope)
    if scope.user_id is None:
        return
    posts = (policies.policy_for(CommissionerPost)
             .rows(CommissionerPost.objects.all(), scope, CHANGE)
             .filter(status=PostStatus.OPEN)
             .annotate(waiting=Count("applications", filter=Q(
                 applications__status=ApplicationStatus.SUBMITTED)))
             .filter(waiting__gt=0).select_related("district").order_by("pk"))
    for post in posts:
        if not policies.allows(scope, "appoint", post):
            continue
        yield work_items.WorkItem(
            title=_("Decide the applications for the commissioner post %(post)s")
            % {"post": post.title_text},
            url=post.get_absolute_url(), action_label=_("Decide"),
            due_on=post.applications_close_on, record=post,
            detail=_("Applications waiting: %(n)s") % {"n": post.waiting})
