"""Policies of core's own records (core's policies.py is the policy framework itself)."""

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.models import ImportJob, ObjectChange, WorkflowEvent
from tmhub.core.policies import Policy


@policies.register
class ImportJobPolicy(Policy):
    """An upload and its report belong to the person who uploaded it (and the city)."""

    model = ImportJob

    def scope_q(self, scope, action):
        return Q(created_by_id=scope.user_id) if scope.is_authenticated else None


@policies.register
class ObjectChangePolicy(Policy):
    """The raw change log is the city's; people read a record's history on its own page."""

    model = ObjectChange


@policies.register
class WorkflowEventPolicy(Policy):
    model = WorkflowEvent
