"""Policies of the evaluation app. The title levels, directions and rules are public reference
data: everyone reads the rows; only municipal administrators change them (in the admin)."""

from tmhub.core import policies
from tmhub.core.access import VIEW
from tmhub.evaluation.models import (
    EligibilityRule,
    PerformanceCondition,
    TitleDirection,
    TitleLevel,
    TitleProcedureRule,
)


class _ReferencePolicy(policies.Policy):
    def scope_q(self, scope, action):
        return True if action == VIEW else None


@policies.register
class TitleLevelPolicy(_ReferencePolicy):
    model = TitleLevel


@policies.register
class TitleDirectionPolicy(_ReferencePolicy):
    model = TitleDirection


@policies.register
class EligibilityRulePolicy(_ReferencePolicy):
    model = EligibilityRule


@policies.register
class PerformanceConditionPolicy(_ReferencePolicy):
    model = PerformanceCondition


@policies.register
class TitleProcedureRulePolicy(_ReferencePolicy):
    model = TitleProcedureRule
