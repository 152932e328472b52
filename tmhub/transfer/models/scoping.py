"""Sub-queries shared by the transfer policies (tmhub.transfer.policies).

Multi-valued relations (assignments, parties) are expressed as `pk__in` sub-queries rather than
joins, so a restricted queryset never returns duplicate rows.
"""

def assigned_project_ids(scope):
    """Projects the user is (or was) assigned to as a manager."""
    from tmhub.transfer.models.projects import ProjectAssignment

    return ProjectAssignment.objects.filter(user_id=scope.user_id).values("project_id")


def active_project_ids(scope):
    """Projects the user is currently assigned to."""
    from tmhub.transfer.models.projects import ProjectAssignment

    return ProjectAssignment.objects.filter(
        user_id=scope.user_id, released_on__isnull=True
    ).values("project_id")



def led_project_ids(scope):
    """Projects the user currently leads (the lead manager manages the project's team)."""
    from tmhub.transfer.choices import ManagerRole
    from tmhub.transfer.models.projects import ProjectAssignment

    return ProjectAssignment.objects.filter(
        user_id=scope.user_id, released_on__isnull=True, role=ManagerRole.LEAD
    ).values("project_id")
