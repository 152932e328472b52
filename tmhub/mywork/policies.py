"""Who reads and changes My work's records."""

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW
from tmhub.core.policies import Policy
from tmhub.core.roles import Role
from tmhub.mywork.models import (
    FeePayment,
    FeeSchedule,
    IPStatusChange,
    ReminderSent,
    ReminderSettings,
    RoyaltyReport,
    RoyaltyTerms,
)


@policies.register
class FeeSchedulePolicy(Policy):
    """The fee schedule is published data: every signed-in person reads it, the city keeps it."""

    model = FeeSchedule

    def scope_q(self, scope, action):
        return True if action == VIEW and scope.is_authenticated else None

    def can_administer(self, scope, band) -> bool:
        return scope.is_municipal


@policies.register
class FeePaymentPolicy(Policy):
    """Fee payments are the patent owner's: seen and recorded by whoever may change the
    achievement the IP record protects (its institution's administrators, its managers)."""

    model = FeePayment

    def scope_q(self, scope, action):
        from tmhub.transfer.models import Achievement

        owners = policies.policy_for(Achievement).rows(Achievement.objects.all(), scope, CHANGE)
        return Q(ip_record__achievement__in=owners.values("pk"))

    def can_correct(self, scope, payment) -> bool:
        """Reversing a recorded payment: the owner institution's administrators (the office
        that keeps the books), as for a contract's receipts."""
        return payment.ip_record.achievement.owner_id in scope.orgs(Role.INSTITUTION_ADMIN)


@policies.register
class IPStatusChangePolicy(Policy):
    """An IP record's status history is read with the record (patent registers are public:
    whoever sees the achievement); it is written only through `change_ip_status`."""

    model = IPStatusChange

    def scope_q(self, scope, action):
        from tmhub.transfer.models import Achievement

        parents = policies.policy_for(Achievement).rows(Achievement.objects.all(), scope, action)
        return Q(ip_record__achievement__in=parents.values("pk"))


class ContractPartPolicy(Policy):
    """Royalty terms and reports are the contract's: seen and changed as the contract is."""

    def scope_q(self, scope, action):
        from tmhub.transfer.models import Contract

        parents = policies.policy_for(Contract).rows(Contract.objects.all(), scope, action)
        return Q(contract__in=parents.values("pk"))


@policies.register
class RoyaltyTermsPolicy(ContractPartPolicy):
    model = RoyaltyTerms


@policies.register
class RoyaltyReportPolicy(ContractPartPolicy):
    model = RoyaltyReport


@policies.register
class ReminderSentPolicy(Policy):
    model = ReminderSent

    def scope_q(self, scope, action):
        return Q(user_id=scope.user_id) if scope.is_authenticated and action == VIEW else None


@policies.register
class ReminderSettingsPolicy(Policy):
    model = ReminderSettings

    def scope_q(self, scope, action):
        return Q(user_id=scope.user_id) if scope.is_authenticated else None
