"""What awaits action in the transfer chain: reward splits to approve, projects whose next
stage is ready (read by My work, tmhub.core.work_items). Patent deadlines and contract
obligations are My work's own sources (tmhub/mywork/work_items.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.core import policies, work_items
from tmhub.core.access import CHANGE, VIEW
from tmhub.transfer.choices import SplitStatus
from tmhub.transfer.models import Project, RewardSplit

LIMIT = 300


@work_items.register("transfer.approve_split", module="transfer",
                     label=gettext_lazy("Reward splits to approve"))
def splits_to_approve(scope):
    from tmhub.transfer.workflows import SPLIT_WORKFLOW

    rows = RewardSplit.objects.filter(status=SplitStatus.DRAFT).select_related(
        "institution", "project", "contract").order_by("income_date", "pk")
    if scope.is_municipal:
        # The city approves as the second person; its own queue is its institutions'.
        rows = rows.filter(institution__in=scope.orgs())
    for split in work_items.restrict(rows, scope, VIEW)[:LIMIT]:
        if not policies.allows(scope, "approve", split):
            continue
        if not work_items.steps_open_to(SPLIT_WORKFLOW, split, scope, enabled_only=True):
            continue  # the person who drafted it waits for another to approve
        yield work_items.WorkItem(
            title=_("Approve the reward split of %(what)s") % {
                "what": split.contract or split.project or split.institution},
            url=reverse("transfer:split-detail", args=[split.pk]),
            action_label=_("Approve"), record=split,
            detail=_("Income of %(date)s") % {"date": split.income_date.isoformat()})


@work_items.register("transfer.move_project", module="transfer",
                     label=gettext_lazy("Projects ready for their next stage"))
def projects_to_move(scope):
    from tmhub.transfer.workflows import STAGE_WORKFLOW, is_forward

    policy = policies.policy_for(Project)
    condition = policy.scope_q(scope, CHANGE)  # the people who work the project, not the city
    if condition is None or condition is False:
        return
    rows = Project.objects.select_related("institution").order_by("stage_changed_at", "pk")
    rows = rows if condition is True else rows.filter(condition)
    for project in rows[:LIMIT]:
        steps = [t for t in work_items.steps_open_to(STAGE_WORKFLOW, project, scope,
                                                     enabled_only=True) if is_forward(t)]
        if not steps:
            continue
        yield work_items.WorkItem(
            title=_("Move %(project)s to %(stage)s") % {"project": project.title,
                                                        "stage": steps[0].label},
            url=reverse("transfer:project-detail", args=[project.pk]),
            action_label=_("Move stage"), record=project,
            detail=_("Its evidence for the next stage is recorded"))
