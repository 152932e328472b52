"""Who may see and do what in the talent pool: one policy per model.

Managers are public once listed (the directory); everything else about them — contacts, the
masked ID number, the registration workflow, the annual filing — is for the people who oversee
them: the manager themself, the institution administrators of their employer, the district
officers of their work district and the department officers whose institution kinds include
their employer's. Changes are the manager's and their employer's (and the city's). The full ID
number is shown to nobody through a page or the API: only the city's audited reveal
(`reveal_id`) decrypts it.

The oversight rule is written once, as (path, allowed values) pairs (`_oversight`), and turned
into a row condition (`_as_q`, for `restrict`) or checked on a loaded row (`_holds`, for
`visible_fields` on every row of a page without a query per row).
"""

from __future__ import annotations

from django.db.models import Q

from tmhub.core import policies
from tmhub.core.access import CHANGE, VIEW, Scope
from tmhub.core.policies import Policy
from tmhub.core.roles import Role
from tmhub.talent.choices import EDITABLE_REGISTRATION_STATUSES, RegistrationStatus
from tmhub.talent.credentials import ExternalCertificate
from tmhub.talent.models import (
    AnnualFiling,
    ManagerProfile,
    ManagerRegistration,
    RegistrationDocument,
)

# An action for `restrict`: the rows whose non-public part (contacts, masked ID, workflow) the
# persona may read. Not the directory: a listed profile is public, its private part is not.
VIEW_PRIVATE = "view_private"

# What everyone may read of a profile they see (the directory, the public API).
PUBLIC_PROFILE_FIELDS = frozenset(
    {
        "id",
        "full_name",
        "name_en",
        "employer",
        "employment_type",
        "work_district",
        "position",
        "degree",
        "school",
        "major",
        "discipline",
        "fields",
        "competences",
        "languages",
        "training_level",
        "professional_title",
        "entry_route",
        "years_experience",
        "bio",
        "photo",
        "registry_number",
        "registered_at",
    }
)
# Read by nobody through a page, the API or an export: the encrypted number, its fingerprint
# and the search tokens are the platform's own bookkeeping.
SECRET_PROFILE_FIELDS = frozenset({"id_number_encrypted", "id_number_digest", "search_text"})
# A level once typed in without evidence (levels.py): the manager and administrators only.
CLAIM_FIELDS = frozenset({"claimed_training_level"})


# ---------------------------------------------------------------- the oversight rule
def _oversight(scope: Scope, *, change: bool) -> list[tuple[str, frozenset]]:
    """Who oversees a manager, as (path from the profile, values of `scope` that match).

    `change`: only those who may edit (the manager and their employer's administrators);
    otherwise also the district and department officers who oversee the manager.
    """
    if not scope.is_authenticated:
        return []
    pairs = [
        ("user_id", frozenset({scope.user_id})),
        ("employer_id", scope.orgs(Role.INSTITUTION_ADMIN)),
    ]
    if not change:
        pairs += [
            ("work_district_id", scope.district_ids),
            ("employer__kind", scope.department_org_kinds),
        ]
    return pairs


def _as_q(pairs, prefix: str = "") -> Q | None:
    """The pairs as one row condition (None: no row), paths prefixed to start elsewhere."""
    condition = None
    for path, values in pairs:
        if values:
            term = Q(**{f"{prefix}{path}__in": values})
            condition = term if condition is None else condition | term
    return condition


def _resolve(obj, path: str):
    for name in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def _holds(pairs, obj) -> bool:
    """The same condition checked on a loaded row (`employer__kind` reads the employer)."""
    return any(values and _resolve(obj, path) in values for path, values in pairs)


def _or(*conditions) -> Q | None:
    present = [c for c in conditions if c is not None]
    if not present:
        return None
    result = present[0]
    for condition in present[1:]:
        result |= condition
    return result


def identity_frozen(profile: ManagerProfile) -> bool:
    """True once a registration is in the reviewers' hands or done (name and ID then fixed)."""
    current = profile.registrations.exclude(
        status__in=(RegistrationStatus.REJECTED, RegistrationStatus.REVOKED)
    ).first()
    return current is not None and current.status not in EDITABLE_REGISTRATION_STATUSES


# ---------------------------------------------------------------- policies
@policies.register
class ManagerProfilePolicy(Policy):
    """A manager's profile: listed ones are public, the private part is for their overseers."""

    model = ManagerProfile
    guarded_fields = (
        frozenset(
            f.name
            for f in (*ManagerProfile._meta.concrete_fields, *ManagerProfile._meta.many_to_many)
        )
        - PUBLIC_PROFILE_FIELDS
    )

    def scope_q(self, scope, action):
        if action == CHANGE:
            return _as_q(_oversight(scope, change=True))
        oversight = _as_q(_oversight(scope, change=False))
        if action == VIEW:
            return _or(Q(is_listed=True), oversight)
        return oversight  # VIEW_PRIVATE

    def visible_fields(self, scope, obj):
        if self.can_view_private(scope, obj):
            hidden = SECRET_PROFILE_FIELDS
            if not self.can_see_claim(scope, obj):
                hidden = hidden | CLAIM_FIELDS
            return self.all_fields() - hidden
        return PUBLIC_PROFILE_FIELDS

    def can_see_claim(self, scope, obj) -> bool:
        """An unverified level claim: the manager and administrators (their employer's and
        the city's) only, never the public nor officers who oversee the manager."""
        return scope.is_municipal or _holds(_oversight(scope, change=True), obj)

    def can_record_certificate(self, scope, obj) -> bool:
        """Record an external certificate with evidence: the manager, their employer's
        administrators, the city."""
        return scope.is_municipal or _holds(_oversight(scope, change=True), obj)

    def can_view_private(self, scope, obj) -> bool:
        """Contacts, the masked ID, registrations and filings: the manager's overseers (checked
        on the loaded row: no query, except the employer's kind for department officers)."""
        return scope.is_municipal or _holds(_oversight(scope, change=False), obj)

    def can_oversee(self, scope, obj) -> bool:
        """Work lists of managers (people, registrations): whoever oversees any manager."""
        return scope.is_municipal or bool(
            scope.orgs(Role.INSTITUTION_ADMIN) or scope.district_ids or scope.department_org_kinds
        )

    def can_create(self, scope, obj) -> bool:
        """A profile for oneself, for a person of one's institution (import), or by the city."""
        return scope.is_municipal or (
            scope.is_authenticated
            and (
                obj.user_id == scope.user_id
                or (
                    obj.employer_id is not None
                    and obj.employer_id in scope.orgs(Role.INSTITUTION_ADMIN)
                )
            )
        )

    def can_keep_own_profile(self, scope, obj) -> bool:
        """Offer "my manager profile" (one's own, made on first visit): to anyone signed in
        except officers of the city, a department or a district, who oversee managers rather
        than work as one; an officer who has a profile all the same keeps the way to it."""
        if not scope.is_authenticated:
            return False
        if not (scope.is_municipal or scope.has_role(Role.DEPARTMENT_OFFICER)
                or scope.has_role(Role.DISTRICT_OFFICER)):
            return True
        return ManagerProfile.objects.filter(user_id=scope.user_id).exists()

    def can_import(self, scope, obj) -> bool:
        """Import managers from a spreadsheet: the city, and institutions for their people."""
        return scope.is_municipal or bool(scope.orgs(Role.INSTITUTION_ADMIN))

    def can_change_identity(self, scope, obj) -> bool:
        """Name and ID stay fixed while a registration is reviewed or held; the city may still
        correct them."""
        return scope.is_municipal or not identity_frozen(obj)

    def can_probe_whole_pool(self, scope, obj) -> bool:
        """Learn precisely whether a number, e-mail or user name is anywhere in the pool (import
        dry runs), and enter ID numbers without the daily limit on refused duplicates: the
        city. Everyone else is answered about their own people only, so that neither becomes
        an oracle for other people's numbers."""
        return scope.is_municipal

    def can_reveal_id(self, scope, obj) -> bool:
        """The full ID number: the city only, with a recorded reason, when one is stored."""
        return scope.is_municipal and bool(obj.id_number_encrypted)


@policies.register
class ManagerRegistrationPolicy(Policy):
    """入库登记: seen by the manager's overseers; each step by whoever the step is for."""

    model = ManagerRegistration

    def scope_q(self, scope, action):
        return _as_q(_oversight(scope, change=action == CHANGE), prefix="profile__")

    def can_submit(self, scope, obj) -> bool:
        """Submit or resubmit: the applicant, or their employer's administrator for them."""
        profile = obj.profile
        return scope.is_superuser or (
            scope.is_authenticated
            and (
                profile.user_id == scope.user_id
                or profile.employer_id in scope.orgs(Role.INSTITUTION_ADMIN)
            )
        )

    def can_endorse(self, scope, obj) -> bool:
        """Endorse or return a submission: the employer's administrator; the city for
        independent (e.g. recruited) managers, who have no employer to endorse them."""
        employer_id = obj.profile.employer_id
        if employer_id is None:
            return scope.is_municipal
        return scope.is_superuser or employer_id in scope.orgs(Role.INSTITUTION_ADMIN)

    def can_review(self, scope, obj) -> bool:
        """The city's decisions (review, approve, return, reject, suspend, reinstate, revoke)
        and its review queue; `obj` may be the model class."""
        return scope.is_municipal

    def can_attach(self, scope, obj) -> bool:
        """Attach supporting documents: the applicant, while the application is theirs to
        change (a draft or returned)."""
        return (
            scope.is_authenticated
            and obj.profile.user_id == scope.user_id
            and obj.status in EDITABLE_REGISTRATION_STATUSES
        )

    def can_edit_profile(self, scope, obj) -> bool:
        """Edit the profile from the registration: while it is a draft or returned."""
        return obj.status in EDITABLE_REGISTRATION_STATUSES and policies.policy_for(
            ManagerProfile
        ).covers(scope, obj.profile, CHANGE)


@policies.register
class RegistrationDocumentPolicy(Policy):
    """Supporting documents (degree, employment, certificates): the applicant, their
    employer's institution administrators and the city; not the other overseers."""

    model = RegistrationDocument

    def scope_q(self, scope, action):
        if not scope.is_authenticated:
            return None
        mine = Q(registration__profile__user_id=scope.user_id)
        if action == CHANGE:
            return mine
        employers = scope.orgs(Role.INSTITUTION_ADMIN)
        return mine | Q(registration__profile__employer_id__in=employers) if employers else mine

    def can_remove(self, scope, obj) -> bool:
        """The applicant, while the application is theirs to change."""
        return policies.allows(scope, "attach", obj.registration)


@policies.register
class AnnualFilingPolicy(Policy):
    """年度备案: a manager's filing is overseen like the manager; an institution's by its
    administrators, its district and its departments."""

    model = AnnualFiling

    def scope_q(self, scope, action):
        change = action == CHANGE
        manager = _as_q(_oversight(scope, change=change), prefix="registration__profile__")
        institution_pairs = (
            []
            if not scope.is_authenticated
            else [("organization_id", scope.orgs(Role.INSTITUTION_ADMIN))]
        )
        if not change:
            institution_pairs += [
                ("organization__district_id", scope.district_ids),
                ("organization__kind", scope.department_org_kinds),
            ]
        return _or(manager, _as_q(institution_pairs, prefix="institution_registration__"))

    def can_file(self, scope, obj) -> bool:
        """Confirm the figures: the manager (their employer may help), or the institution's
        administrators for an institution's filing."""
        return self.covers(scope, obj, CHANGE)

    def can_open(self, scope, obj) -> bool:
        """Open a year's filings (the beat task does it each 1 January): the city."""
        return scope.is_municipal


@policies.register
class ExternalCertificatePolicy(Policy):
    """External training certificates and their evidence: the manager, their employer's
    administrators and the city; verified or rejected by the city."""

    model = ExternalCertificate

    def scope_q(self, scope, action):
        return _as_q(_oversight(scope, change=True), prefix="profile__")

    def can_verify(self, scope, obj) -> bool:
        """Verify or reject (the evidence against the issuer's records): the city, never the
        person who recorded it."""
        return scope.is_municipal and getattr(obj, "recorded_by_id", None) != scope.user_id
