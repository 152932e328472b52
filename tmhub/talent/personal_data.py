"""A person's data under PIPL: views of it logged, a copy for the person, anonymisation.

- `log_private_view`: a manager's contacts and private details opened by someone who oversees
  them (not the manager themself) → one row in the access log (tmhub.core.personal_data).
- The audited ID reveal is logged by a subscriber of its workflow event, inside the reveal's
  transaction: no reveal without its log row.
- `own_data(user)`: everything the platform holds about the person, as sections of rows;
  `own_data_json` / `own_data_xlsx` render it for the download at /accounts/me/data/.
- `anonymise_person`: on request, the city replaces the person's name, contacts, ID number,
  photo and bio for good — in the profile, the account, the history's snapshots and the access
  log — and keeps registry numbers, contracts and figures. Audited; cannot be undone.
"""

from __future__ import annotations

import io
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmhub.core import personal_data, policies
from tmhub.core.audit import record_change, record_event, snapshot
from tmhub.core.events import IN_TRANSACTION, WorkflowStepped, subscribe
from tmhub.core.models import ObjectChange, WorkflowEvent
from tmhub.core.personal_data import AccessKind
from tmhub.talent.choices import RegistrationEvent
from tmhub.talent.models import AnnualFiling, ManagerProfile, ManagerRegistration

# What the private part of a profile shows beyond the public directory.
PRIVATE_FIELDS = ("email", "phone", "id_number_masked", "identity_type", "nationality")
# Replaced by anonymisation (profile and account); the rest (registry numbers, employer,
# fields, figures, contracts elsewhere) is kept.
ANONYMISED_PROFILE_FIELDS = (
    "full_name",
    "name_en",
    "email",
    "phone",
    "id_number_masked",
    "bio",
    "photo",
    "nationality",
    "school",
    "major",
    "position",
    "languages",
)
ANONYMISED_USER_FIELDS = ("username", "email", "display_name", "first_name", "last_name")
REDACTED = "[anonymised]"
EVENT_ANONYMISED = "talent.profile.anonymised"


def _label(profile) -> str:
    return profile.full_name


# ---------------------------------------------------------------- logging views
def log_private_view(request, profile: ManagerProfile) -> None:
    """Log that the signed-in overseer opened the manager's private details."""
    user = request.user
    if not user.is_authenticated or profile.user_id == user.pk:
        return
    personal_data.log_access(
        actor=user,
        subjects=[profile],
        kind=AccessKind.CONTACTS,
        fields=PRIVATE_FIELDS,
        request=request,
        label=_label,
    )


def log_private_rows(request, profiles) -> None:
    """The API: log the rows of a page (or the one record) whose private part the caller
    reads — an overseer's, never the person's own."""
    user = request.user
    if not user.is_authenticated:
        return
    shown = [p for p in profiles
             if p.user_id != user.pk and policies.allows(user, "view_private", p)]
    personal_data.log_access(actor=user, subjects=shown, kind=AccessKind.CONTACTS,
                             fields=PRIVATE_FIELDS, request=request, label=_label)


def log_export(request, subjects, columns) -> None:
    """Log one row per person in an export that carries personal data."""
    personal_data.log_access(
        actor=request.user,
        subjects=list(subjects),
        kind=AccessKind.EXPORT,
        fields=[str(c.label) for c in columns],
        request=request,
        label=_label,
    )


@subscribe(
    WorkflowStepped,
    model="talent.ManagerProfile",
    event_type=RegistrationEvent.ID_REVEALED,
    when=IN_TRANSACTION,
)
def log_id_reveal(event):
    profile = ManagerProfile.objects.get(pk=event.int_pk)
    from tmhub.accounts.models import User

    actor = User.objects.filter(pk=event.actor_id).first()
    reason = (
        WorkflowEvent.objects.filter(
            object_id=event.pk, event_type=event.event_type, operation_id=event.operation_id
        )
        .order_by("-pk")
        .values_list("reason", flat=True)
        .first()
    ) or ""
    personal_data.log_access(
        actor=actor,
        subjects=[profile],
        kind=AccessKind.ID_REVEAL,
        fields=["id_number"],
        reason=reason,
        label=_label,
    )


# ---------------------------------------------------------------- the person's own copy
def _plain(value):
    from django.db.models.fields.files import FieldFile

    if isinstance(value, FieldFile):
        return value.name or ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


def own_data(user) -> dict[str, list[dict]]:
    """Everything the platform holds about `user`, section by section (the full ID number is
    not decrypted: the masked form is given, as on every page)."""
    sections: dict[str, list[dict]] = {
        "account": [
            {
                "username": user.username,
                "display_name": user.display_name,
                "email": user.email,
                "date_joined": _plain(user.date_joined),
                "last_login": _plain(user.last_login),
            }
        ],
        "roles": [
            {
                "role": m.get_role_display(),
                "organization": _plain(m.organization),
                "district": _plain(m.district),
                "department": m.department,
                "active": m.is_active,
            }
            for m in user.memberships.select_related("organization", "district")
        ],
    }
    profile = ManagerProfile.objects.filter(user=user).first()
    if profile is not None:
        hidden = set(ManagerProfile.AUDIT_EXCLUDE)
        row = {
            f.name: _plain(getattr(profile, f.name))
            for f in ManagerProfile._meta.concrete_fields
            if f.name not in hidden
        }
        row["fields"] = ", ".join(str(x) for x in profile.fields.all())
        row["competences"] = ", ".join(str(x) for x in profile.competences.all())
        sections["profile"] = [row]
        sections["registrations"] = [
            {
                "registry_number": r.registry_number,
                "status": r.get_status_display(),
                "submitted_at": _plain(r.submitted_at),
                "decided_at": _plain(r.decided_at),
            }
            for r in ManagerRegistration.objects.filter(profile=profile)
        ]
        sections["annual_filings"] = [
            {
                "year": f.year,
                "status": f.get_status_display(),
                "due_date": _plain(f.due_date),
                "filed_at": _plain(f.submitted_at),
            }
            for f in AnnualFiling.objects.filter(registration__profile=profile)
        ]
    subjects = [user, profile]
    sections["who_viewed_my_data"] = [
        {
            "at": _plain(a.at),
            "viewer": a.actor_name,
            "kind": a.get_kind_display(),
            "fields": ", ".join(a.fields),
            "reason": a.reason,
        }
        for a in personal_data.accesses_about(*subjects).exclude(actor=user)[:1000]
    ]
    return sections


def own_data_json(user) -> bytes:
    data = {"generated_at": timezone.now().isoformat(), **own_data(user)}
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


def own_data_xlsx(user) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in own_data(user).items():
        sheet = book.create_sheet(name[:31])
        keys = list(rows[0]) if rows else []
        sheet.append(keys)
        for row in rows:
            sheet.append([_cell(row[k]) for k in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    value = "" if value is None else value
    text = (
        value
        if isinstance(value, str)
        else str(value)
        if not isinstance(value, (int, float, bool))
        else value
    )
    # A cell that starts like a formula is kept as text (no formula injection).
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


def log_own_download(request) -> None:
    subjects = [request.user, ManagerProfile.objects.filter(user=request.user).first()]
    personal_data.log_access(
        actor=request.user,
        subjects=subjects,
        kind=AccessKind.OWN_DATA,
        request=request,
        label=lambda s: getattr(s, "full_name", None) or s.get_username(),
    )


# ---------------------------------------------------------------- anonymisation
def _scrub(rows, fields, replacement, label=None):
    """Replace the person's values in history snapshots (and the record's name)."""
    if label is not None:
        rows.update(object_repr=label[:200])
    for change in rows:
        dirty = False
        for side in ("before", "after"):
            data = getattr(change, side)
            if not isinstance(data, dict):
                continue
            for name in fields:
                if name in data and data[name] not in ("", None):
                    data[name] = replacement
                    dirty = True
        if dirty:
            ObjectChange.objects.filter(pk=change.pk).update(
                before=change.before, after=change.after
            )


@transaction.atomic
def anonymise_person(user, *, actor, reason: str) -> str:
    """Replace the person's identifying data for good; returns the label they now go by.

    The city only (404 otherwise), with a reason. Kept: registry numbers, registrations and
    filings, employer, fields and figures, contracts and training records (they point at the
    same account and profile, now anonymous). The account can no longer sign in."""
    from tmhub.accounts.models import User

    policies.require(actor, "anonymise_person", user)
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Say on whose request and why.")}, code="reason_required"
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.username.startswith("anonymised-"):
        raise ValidationError(
            _("This person has already been anonymised."), code="already_anonymised"
        )
    label = _("Anonymised person %(number)s") % {"number": user.pk}
    profile = ManagerProfile.objects.select_for_update().filter(user=user).first()
    if profile is not None:
        before = snapshot(profile)
        if profile.photo:
            profile.photo.delete(save=False)
        profile.full_name = label
        for name in (
            "name_en",
            "email",
            "phone",
            "id_number_masked",
            "bio",
            "school",
            "major",
            "position",
            "languages",
        ):
            setattr(profile, name, "")
        profile.nationality = ""
        profile.id_number_encrypted = ""
        profile.id_number_digest = None
        profile.photo = ""
        profile.save()
        ManagerProfile.objects.filter(pk=profile.pk).update(search_text="")
        record_change(actor=actor, obj=profile, action=ObjectChange.Action.UPDATE, before=before)
        _scrub(
            ObjectChange.objects.filter(
                content_type__model="managerprofile",
                content_type__app_label="talent",
                object_id=str(profile.pk),
            ),
            ANONYMISED_PROFILE_FIELDS,
            REDACTED,
            label,
        )
        for registration in ManagerRegistration.objects.filter(profile=profile):
            ObjectChange.objects.filter(
                content_type__app_label="talent",
                content_type__model="managerregistration",
                object_id=str(registration.pk),
            ).update(object_repr=str(registration)[:200])
        WorkflowEvent.objects.filter(
            object_id=str(profile.pk), event_type=RegistrationEvent.ID_REVEALED
        ).update(data={"masked": REDACTED})
        personal_data.relabel(profile, label)
    before = snapshot(user)
    user.username = f"anonymised-{user.pk}"
    user.email = ""
    user.display_name = label
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user._changed_by = actor
    user.save()
    record_change(actor=actor, obj=user, action=ObjectChange.Action.UPDATE, before=before)
    _scrub(
        ObjectChange.objects.filter(
            content_type__model="user", content_type__app_label="accounts", object_id=str(user.pk)
        ),
        ANONYMISED_USER_FIELDS,
        REDACTED,
        label,
    )
    personal_data.relabel(user, label)
    record_event(
        actor=actor,
        obj=user,
        event_type=EVENT_ANONYMISED,
        reason=reason.strip(),
        data={"profile_id": profile.pk if profile else None},
    )
    return label
