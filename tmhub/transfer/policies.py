"""Who may see and do what in the transfer chain: one policy per model (ARCHITECTURE §2).

Pages, the API, exports, templates (`{% may %}`, `{% visible_fields %}`), the workflows and the
services all ask these classes; nothing else decides. The roles, in short:

- an achievement (disclosure) is confidential until published: its institution's
  administrators, its assigned managers and the managers of projects carrying it are its
  insiders, who alone read its inventors, internal terms and files;
- a demand is public once published; its contact is for the enterprise and for signed-in
  transfer professionals;
- projects, contracts and reward splits belong to the institution and to the managers
  working (or who worked) on the project; parties to a contract see the contract.

Multi-valued relations (assignments, parties) are `pk__in` sub-queries
(`tmhub.transfer.models.scoping`), so a restricted queryset never repeats a row.
"""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.utils.translation import gettext as _

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW
from tmhub.core.forms_errors import field_error
from tmhub.core.policies import Policy
from tmhub.core.roles import Role
from tmhub.transfer.choices import AchievementStatus, DemandStatus, RuleLevel
from tmhub.transfer.models import (
    Achievement,
    Activity,
    Attachment,
    Contract,
    ContractParty,
    Cost,
    Demand,
    Installment,
    Inventor,
    IPRecord,
    Project,
    ProjectAssignment,
    ProjectEvidence,
    Receipt,
    RewardRule,
    RewardSplit,
    SplitAllocation,
    StageGate,
)
from tmhub.transfer.models.scoping import (
    active_project_ids,
    assigned_project_ids,
    led_project_ids,
)

# Roles whose holders do transfer work for an institution.
INSTITUTION_STAFF = (Role.INSTITUTION_ADMIN, Role.MANAGER)


# ---------------------------------------------------------------- shared rules
def acts_for(scope, organization_id) -> bool:
    """An institution's administrators and managers record its transfer work (and the city)."""
    return scope.is_municipal or organization_id in scope.orgs(*INSTITUTION_STAFF)


def administers(scope, organization_id) -> bool:
    """An institution's administrators decide for it (publication, approval). Superusers may
    too (data fixes, demo set-up); municipal administrators oversee but do not decide."""
    return scope.is_superuser or organization_id in scope.orgs(Role.INSTITUTION_ADMIN)


def works_on(scope, project) -> bool:
    """True for the project's active managers. Reads the team the caller prefetched into
    `project.active_assignments` when present, so a board of projects costs no extra query."""
    if not scope.is_authenticated or project is None:
        return False
    team = getattr(project, "active_assignments", None)
    if team is not None:
        return any(a.user_id == scope.user_id for a in team)
    return project.assignments.filter(user_id=scope.user_id, released_on__isnull=True).exists()


def recordable_institution_ids(scope) -> frozenset[int] | None:
    """Organisations `scope` records transfer work for; None means any (the city)."""
    return None if scope.is_municipal else scope.orgs(*INSTITUTION_STAFF)


def records_for_some_institution(scope) -> bool:
    return scope.is_municipal or bool(scope.orgs(*INSTITUTION_STAFF))


# ---------------------------------------------------------------- achievements
# Read only by insiders: who invented it, its numbering and dates, its files and projects.
ACHIEVEMENT_INTERNAL = frozenset(
    {
        "disclosure_number",
        "disclosed_on",
        "inventors",
        "attachments",
        "projects",
        "managers",
        "created_by",
    }
)
# Read by insiders, and by everyone once published with "show asking terms publicly".
ACHIEVEMENT_TERMS = frozenset({"asking_terms", "asking_price_fen"})
# A queryset annotation (`AchievementPolicy.with_internal`) that answers `view_internal`
# for a whole list in the list's own query.
INTERNAL_ANNOTATION = "viewer_is_insider"


@policies.register
class AchievementPolicy(Policy):
    """Disclosures: published ones for everyone; drafts and withdrawn ones for insiders.

    Insiders are the owner institution's administrators, the managers assigned to the
    disclosure and the active managers of projects carrying it (they may also change it), and
    municipal administrators. Whoever recorded it, and managers who once worked on a project
    carrying it, keep seeing it without being insiders.
    """

    model = Achievement
    guarded_fields = ACHIEVEMENT_INTERNAL | ACHIEVEMENT_TERMS

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return Q(status=AchievementStatus.PUBLISHED) if action == VIEW else None
        mine = Q(owner__in=scope.orgs(Role.INSTITUTION_ADMIN)) | Q(
            pk__in=Achievement.managers.through.objects.filter(user_id=scope.user_id).values(
                "achievement_id"
            )
        )
        if action == CHANGE:
            return mine | Q(pk__in=_carried_by(active_project_ids(scope)))
        return (
            Q(status=AchievementStatus.PUBLISHED)
            | mine
            | Q(created_by_id=scope.user_id)
            | Q(pk__in=_carried_by(assigned_project_ids(scope)))
        )

    # ---- insiders
    def internal_rows(self, scope):
        """The achievements whose internals `scope` reads: exactly those it may change."""
        return self.rows(Achievement.objects.all(), scope, CHANGE)

    def with_internal(self, queryset, scope):
        """`queryset` annotated with whether `scope` is an insider of each row (one query for
        a whole list instead of one per row)."""
        if scope.is_municipal:
            flag = Value(True)
        else:
            condition = self.scope_q(scope, CHANGE)
            flag = (
                ExpressionWrapper(condition, output_field=BooleanField())
                if condition
                else Value(False)
            )
        return queryset.annotate(**{INTERNAL_ANNOTATION: flag})

    def can_view_internal(self, scope, achievement) -> bool:
        """Inventors, internal numbering and terms, attachments and the projects carrying it."""
        if scope.is_municipal:
            return True
        known = getattr(achievement, INTERNAL_ANNOTATION, None)
        if known is not None:
            return bool(known)
        if not scope.is_authenticated:
            return False
        if achievement.owner_id in scope.orgs(Role.INSTITUTION_ADMIN):
            return True  # the first clause of scope_q's `mine`, answered without a query
        return self.covers(scope, achievement, CHANGE)

    def all_fields(self):
        return super().all_fields() | {"inventors", "ip_records", "attachments", "projects"}

    def visible_fields(self, scope, achievement):
        fields = self.all_fields()
        if self.can_view_internal(scope, achievement):
            return fields
        hidden = ACHIEVEMENT_INTERNAL
        if not (achievement.publish_asking_terms and achievement.is_published):
            hidden = hidden | ACHIEVEMENT_TERMS
        return fields - hidden

    # ---- steps
    def can_create(self, scope, achievement) -> bool:
        """Disclose for an institution one works for (`achievement` unsaved, or the class)."""
        if isinstance(achievement, type):
            return records_for_some_institution(scope)
        return acts_for(scope, achievement.owner_id)

    def can_publish(self, scope, achievement) -> bool:
        """Publication (and withdrawal) is the owner institution's decision."""
        return administers(scope, achievement.owner_id)

    def can_withdraw(self, scope, achievement) -> bool:
        return administers(scope, achievement.owner_id)

    def can_assign_manager(self, scope, achievement) -> bool:
        """Opening a confidential disclosure to a manager is the institution's decision."""
        return administers(scope, achievement.owner_id)


def _carried_by(project_ids):
    return Project.achievements.through.objects.filter(project_id__in=project_ids).values(
        "achievement_id"
    )


# ---------------------------------------------------------------- demands
DEMAND_CONTACT = frozenset({"contact_name", "contact_phone", "contact_email"})


def _owns_demand_q(scope) -> Q:
    return Q(organization__in=scope.orgs(Role.ENTERPRISE)) | Q(created_by_id=scope.user_id)


def _owns_demand(scope, demand) -> bool:
    """`_owns_demand_q` for a row already loaded (no query): the enterprise, or its recorder."""
    return scope.is_authenticated and (
        demand.organization_id in scope.orgs(Role.ENTERPRISE)
        or demand.created_by_id == scope.user_id
    )


def _transfer_professional(scope) -> bool:
    return scope.has_role(Role.MANAGER) or scope.has_role(Role.INSTITUTION_ADMIN)


@policies.register
class DemandPolicy(Policy):
    """Demands: public once published; a closed one stays visible in its district. The
    enterprise (or whoever recorded it for the enterprise) edits it and decides its steps."""

    model = Demand
    guarded_fields = DEMAND_CONTACT

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return Q(status=DemandStatus.PUBLISHED) if action == VIEW else None
        own = _owns_demand_q(scope)
        if action == CHANGE:
            return own
        return (
            Q(status=DemandStatus.PUBLISHED)
            | own
            | Q(district__in=scope.district_ids, status=DemandStatus.CLOSED)
        )

    def can_view_contact(self, scope, demand) -> bool:
        """The enterprise itself and the city; signed-in transfer professionals (managers and
        institution administrators) while the demand is published."""
        return (
            scope.is_municipal
            or _owns_demand(scope, demand)
            or (demand.status == DemandStatus.PUBLISHED and _transfer_professional(scope))
        )

    def visible_fields(self, scope, demand):
        fields = self.all_fields()
        return fields if self.can_view_contact(scope, demand) else fields - DEMAND_CONTACT

    def can_create(self, scope, demand) -> bool:
        """Enterprises record their own demands; managers and institution administrators dig
        demands out of enterprises (需求挖掘) and record them on the enterprise's behalf."""
        if scope.is_municipal or _transfer_professional(scope):
            return True
        if isinstance(demand, type):
            return bool(scope.orgs(Role.ENTERPRISE))
        return demand.organization_id in scope.orgs(Role.ENTERPRISE)

    def can_publish(self, scope, demand) -> bool:
        return scope.is_superuser or _owns_demand(scope, demand)

    def can_close(self, scope, demand) -> bool:
        return scope.is_superuser or _owns_demand(scope, demand)


# ---------------------------------------------------------------- projects
@policies.register
class ProjectPolicy(Policy):
    """Projects: the institution's administrators and the managers assigned (now or before)
    see them, and so do the officers of the institution's district (SPEC §1: records located
    in their district); the administrators and the active managers change them and move their
    stage."""

    model = Project

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return None
        own = Q(institution__in=scope.orgs(Role.INSTITUTION_ADMIN))
        if action == CHANGE:
            return own | Q(pk__in=active_project_ids(scope))
        return (
            own
            | Q(pk__in=assigned_project_ids(scope))
            | Q(institution__district__in=scope.district_ids)
        )

    def can_create(self, scope, project) -> bool:
        if isinstance(project, type):
            return records_for_some_institution(scope)
        return acts_for(scope, project.institution_id)

    def can_move(self, scope, project) -> bool:
        """Stage moves: the institution's administrators and the project's active managers."""
        return administers(scope, project.institution_id) or works_on(scope, project)

    def can_assign_manager(self, scope, project) -> bool:
        return self.covers(scope, project, CHANGE)

    def can_record_activity(self, scope, project) -> bool:
        return self.covers(scope, project, CHANGE)

    def can_record_evidence(self, scope, project) -> bool:
        """Stage evidence (reports, companies, investments) is recorded by those who work the
        project: its institution's administrators and its active managers."""
        return self.covers(scope, project, CHANGE)

    def can_override_gate(self, scope, project) -> bool:
        """Moving past a stage gate without its evidence is the city's decision alone (with a
        reason, audited as its own event)."""
        return scope.is_municipal


@policies.register
class ProjectAssignmentPolicy(Policy):
    """Seen with the project. Released by the institution's administrators, by the project's
    lead manager, or by a manager for their own assignment: a supporting manager cannot
    release the lead or another colleague."""

    model = ProjectAssignment

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return None
        own = Q(project__institution__in=scope.orgs(Role.INSTITUTION_ADMIN))
        if action == CHANGE:
            return (
                own
                | Q(project__in=led_project_ids(scope))
                | Q(user_id=scope.user_id, released_on__isnull=True)
            )
        return own | Q(project__in=assigned_project_ids(scope))

    def can_release(self, scope, assignment) -> bool:
        return self.covers(scope, assignment, CHANGE)


# ---------------------------------------------------------------- contracts
@policies.register
class ContractPolicy(Policy):
    """Contracts: the institution, the managers of its project, the organisations that are
    parties to it and the officers of the institution's district see it; the institution and
    the project's active managers change it."""

    model = Contract

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return None
        own = Q(institution__in=scope.orgs(Role.INSTITUTION_ADMIN))
        if action == CHANGE:
            return own | Q(project__in=active_project_ids(scope))
        party_orgs = scope.orgs(Role.INSTITUTION_ADMIN, Role.ENTERPRISE, Role.SERVICE_PROVIDER)
        return (
            own
            | Q(project__in=assigned_project_ids(scope))
            | Q(institution__district__in=scope.district_ids)
            | Q(
                pk__in=ContractParty.objects.filter(organization__in=party_orgs).values(
                    "contract_id"
                )
            )
        )

    def can_create(self, scope, contract) -> bool:
        if isinstance(contract, type):
            return records_for_some_institution(scope)
        return self.create_refusal(scope, contract) is None

    def create_refusal(self, scope, contract):
        """Why `scope` may not record `contract` (unsaved), as the field error to show; None
        when it may. The institution's administrators record any of its contracts; a manager
        records one only for a project they work on, so they can see (and follow) it."""
        if not acts_for(scope, contract.institution_id):
            return field_error(
                "institution",
                _("You cannot record work for this institution."),
                "not_your_institution",
            )
        if scope.is_municipal or administers(scope, contract.institution_id):
            return None
        if contract.project_id is None:
            return field_error(
                "project",
                _(
                    "A contract without a project is recorded by the institution's "
                    "administrators; choose a project you work on."
                ),
                "project_required",
            )
        if not works_on(scope, contract.project):
            return field_error(
                "project",
                _("You can record contracts only for projects you work on."),
                "not_on_project",
            )
        return None

    def can_correct_money(self, scope, contract) -> bool:
        """Reversing a recorded receipt or cost: the institution's administrators (the
        office that keeps the books), not the managers who record money."""
        return administers(scope, contract.institution_id)


# ---------------------------------------------------------------- rewards
@policies.register
class RewardRulePolicy(Policy):
    """Reward rules are published law and policy: everyone reads them. Administrators edit
    them in the administration; an institution's administrators own its institution rules."""

    model = RewardRule

    def scope_q(self, scope, action):
        if action == VIEW:
            return True
        if scope.is_authenticated:
            return Q(
                level=RuleLevel.INSTITUTION, institution__in=scope.orgs(Role.INSTITUTION_ADMIN)
            )
        return None

    def can_administer(self, scope, rule) -> bool:
        """Edit rules in the administration (the city keeps the rule tables)."""
        return scope.is_municipal


@policies.register
class RewardSplitPolicy(Policy):
    """Splits: the institution, the project's managers (now or before) and every person the
    split rewards see it; the institution and the project's active managers draft, change and
    cancel it; the institution's administrators (or the city) approve (and so freeze) it, never
    the person who drafted it."""

    model = RewardSplit

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return None
        own = Q(institution__in=scope.orgs(Role.INSTITUTION_ADMIN))
        if action == CHANGE:
            return own | Q(project__in=active_project_ids(scope))
        return (
            own
            | Q(project__in=assigned_project_ids(scope))
            | Q(pk__in=SplitAllocation.objects.filter(user_id=scope.user_id).values("split_id"))
        )

    def can_create(self, scope, split) -> bool:
        """Split income of a contract one may change (`split` unsaved, or the class)."""
        if scope.is_municipal:
            return True
        if isinstance(split, type):
            return (
                policies.policy_for(Contract).rows(Contract.objects.all(), scope, CHANGE).exists()
            )
        return administers(scope, split.institution_id) or works_on(scope, split.project)

    def can_approve(self, scope, split) -> bool:
        """The institution's administrators, or the municipal administrator (the second
        person when the only administrator drafted it: the four-eyes rule of SPLIT_WORKFLOW)."""
        return scope.is_municipal or administers(scope, split.institution_id)

    def can_cancel(self, scope, split) -> bool:
        return self.covers(scope, split, CHANGE)


# ---------------------------------------------------------------- parts of a record
class PartPolicy(Policy):
    """Rows that belong to a parent record (inventors, receipts, shares…): seen and changed
    exactly as their parent is."""

    parent = ""  # the foreign key to the parent record

    def parent_rows(self, scope, action):
        parent_model = self.model._meta.get_field(self.parent).related_model
        return policies.policy_for(parent_model).rows(parent_model.objects.all(), scope, action)

    def scope_q(self, scope, action):
        return Q(**{f"{self.parent}__in": self.parent_rows(scope, action).values("pk")})


class InternalPartPolicy(PartPolicy):
    """Parts of an achievement that only its insiders read (inventors, files)."""

    parent = "achievement"

    def parent_rows(self, scope, action):
        return policies.policy_for(Achievement).internal_rows(scope)


@policies.register
class InventorPolicy(InternalPartPolicy):
    model = Inventor


@policies.register
class AttachmentPolicy(InternalPartPolicy):
    """A disclosure's files: downloaded by its insiders only (never from the web root)."""

    model = Attachment


@policies.register
class IPRecordPolicy(PartPolicy):
    """Patent numbers are public registers: seen with the achievement."""

    model = IPRecord
    parent = "achievement"


@policies.register
class ActivityPolicy(PartPolicy):
    model = Activity
    parent = "project"


@policies.register
class ProjectEvidencePolicy(PartPolicy):
    """Stage evidence is seen with its project; its file is downloaded by the same people."""

    model = ProjectEvidence
    parent = "project"


@policies.register
class StageGatePolicy(Policy):
    """Stage gates are published rules: everyone reads them; the city keeps them."""

    model = StageGate

    def scope_q(self, scope, action):
        return True if action == VIEW else None

    def can_administer(self, scope, gate) -> bool:
        return scope.is_municipal


@policies.register
class ContractPartyPolicy(PartPolicy):
    model = ContractParty
    parent = "contract"


@policies.register
class InstallmentPolicy(PartPolicy):
    model = Installment
    parent = "contract"


@policies.register
class ReceiptPolicy(PartPolicy):
    model = Receipt
    parent = "contract"


@policies.register
class CostPolicy(PartPolicy):
    model = Cost
    parent = "contract"


@policies.register
class SplitAllocationPolicy(PartPolicy):
    """The shares of a split, seen (and frozen) with it."""

    model = SplitAllocation
    parent = "split"
