"""The next step from a match: ask to be introduced to the other side (every write here).

``request_introduction`` records who asked, notifies the other side's people (the
achievement's managers and its institution's administrators, or the demand's enterprise and
whoever recorded the demand), and, when a transfer project carries the achievement, logs the
introduction in that project through transfer's own service (``record_activity``), with the
demand's enterprise as the organisation introduced.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmhub.accounts.selectors import users_with_role
from tmhub.core import policies
from tmhub.core.access import get_scope
from tmhub.core.audit import record_change
from tmhub.core.forms_errors import field_error
from tmhub.core.models import ObjectChange
from tmhub.core.notifications import notify
from tmhub.core.roles import Role
from tmhub.matching.models import IntroductionRequest
from tmhub.matching.policies import side_of


def achievement_people(achievement) -> list:
    """Who answers for an achievement: its managers, the managers of projects carrying it and
    its institution's administrators."""
    people = list(achievement.managers.filter(is_active=True))
    for project in achievement.projects.filter(landed_on__isnull=True):
        people += [
            a.user
            for a in project.assignments.filter(released_on__isnull=True).select_related("user")
        ]
    people += list(users_with_role(Role.INSTITUTION_ADMIN, organization=achievement.owner))
    return people


def demand_people(demand) -> list:
    """Who answers for a demand: its enterprise's users and whoever recorded it."""
    people = list(users_with_role(Role.ENTERPRISE, organization=demand.organization))
    if demand.created_by_id:
        people.append(demand.created_by)
    return people


def _project_for(achievement, actor):
    """The open project carrying the achievement that logs the introduction, and the manager
    it is attributed to: the asker when they are on the project, else its lead (or the first
    active manager). None when no open project with a manager carries it."""
    from tmhub.transfer.choices import ManagerRole

    for project in achievement.projects.filter(landed_on__isnull=True).order_by("pk"):
        team = list(project.assignments.filter(released_on__isnull=True).select_related("user"))
        if not team:
            continue
        mine = [a for a in team if a.user_id == getattr(actor, "pk", None)]
        leads = [a for a in team if a.role == ManagerRole.LEAD]
        return project, (mine or leads or team)[0].user
    return None, None


@transaction.atomic
def request_introduction(*, actor, achievement, demand, message: str = "") -> IntroductionRequest:
    """Ask, from one side of a match, to be introduced to the other (module docstring).

    Refused like a missing record for anyone who is on neither side; a second request from
    the same side for the same pair is refused with ``already_requested``."""
    from tmhub.transfer import services as transfer
    from tmhub.transfer.choices import ActivityKind

    request = IntroductionRequest(achievement=achievement, demand=demand, message=message.strip())
    policies.require(actor, "request", request)  # before anything else: a visitor is no user
    request.requested_by = actor
    request.side = side_of(get_scope(actor), achievement, demand)
    if IntroductionRequest.objects.filter(
        achievement=achievement, demand=demand, side=request.side
    ).exists():
        raise field_error(
            "demand",
            _("An introduction was already requested for this match."),
            "already_requested",
        )
    request.full_clean(exclude=["requested_by", "activity"])
    request.save()
    project, manager = _project_for(achievement, actor)
    if project is not None:
        summary = _("Introduction requested through matching: “%(demand)s” (%(org)s)") % {
            "demand": demand.title,
            "org": demand.organization.name,
        }
        # the asker logs it when they may write the project's log; otherwise (the demand's
        # enterprise) it is logged in the name of the manager it is attributed to (transfer
        # keeps who recorded every entry, and the platform is not a recorder there), with
        # who asked in its details; this request row, audited, names the asker either way
        writer = actor if policies.allows(actor, "record_activity", project) else manager
        details = request.message
        if writer is not actor:
            asker = _("Asked by %(name)s (%(org)s) through matching.") % {
                "name": actor.get_full_name() or actor.username,
                "org": demand.organization.name,
            }
            details = f"{asker}\n{details}".strip()
        request.activity = transfer.record_activity(
            project,
            actor=writer,
            kind=ActivityKind.INTRODUCTION,
            manager=manager,
            summary=summary[:300],
            details=details[:2000],
            counterpart=demand.organization,
        )
        request.save(update_fields=["activity"])
    record_change(
        actor=actor,
        obj=request,
        action=ObjectChange.Action.CREATE,
        before=None,
        related=project or achievement,
    )
    # subjects stay lazy: each recipient reads theirs in their own language
    if request.side == IntroductionRequest.Side.DEMAND:
        recipients, url = achievement_people(achievement), demand.get_absolute_url()
        subject = gettext_lazy("%(org)s is interested in your achievement “%(title)s”")
        params = {"org": demand.organization.name, "title": achievement.title}
    else:
        recipients, url = demand_people(demand), achievement.get_absolute_url()
        subject = gettext_lazy("%(org)s asks to be introduced about your demand “%(title)s”")
        params = {"org": achievement.owner.name, "title": demand.title}
    notify(
        [u for u in recipients if u.pk != getattr(actor, "pk", None)],
        subject=subject,
        body=request.message,
        url=url,
        params=params,
        kind="matching.introduction",
        about=request,
    )
    return request
