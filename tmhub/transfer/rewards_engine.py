"""The reward split arithmetic: pure functions on integers (fen) and Decimal percentages.

No floats anywhere. Percentages are held as basis points of a percent (1% = 100, 100% =
10000) so every division is an exact integer operation; leftover fen from rounding are handed
out by the largest-remainder method, so the parts always sum exactly to the whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WHOLE = 10_000  # 100.00 % in hundredths of a percent
MAX_AMOUNT_FEN = 10**15  # ten trillion yuan: anything above is a typing error


@dataclass(frozen=True)
class Shares:
    team: Decimal
    office: Decimal
    institution: Decimal


@dataclass(frozen=True)
class Person:
    name: str
    contribution: Decimal
    user_id: int | None = None


@dataclass(frozen=True)
class SplitResult:
    team_fen: int
    office_fen: int
    institution_fen: int
    allocations: tuple[int, ...]

    @property
    def total(self) -> int:
        return self.team_fen + self.office_fen + self.institution_fen


def to_decimal(value) -> Decimal | None:
    """A finite Decimal, or None when the value is not a number (NaN, infinity, text)."""
    if isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def to_basis_points(value) -> int | None:
    """Percent → hundredths of a percent; None unless 0 ≤ value ≤ 100 with ≤ 2 decimals."""
    number = to_decimal(value)
    if number is None or number < 0 or number > 100:
        return None
    scaled = number * 100
    if scaled != scaled.to_integral_value():
        return None
    return int(scaled)


def apportion(amount: int, weights: list[int]) -> list[int]:
    """Split `amount` by integer `weights` (largest remainder); parts sum exactly to amount."""
    total = sum(weights)
    if total <= 0:
        return [0] * len(weights)
    parts = [amount * w // total for w in weights]
    remainders = [amount * w % total for w in weights]
    leftover = amount - sum(parts)
    for index in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:leftover]:
        parts[index] += 1
    return parts


def validate_amount(amount_fen) -> list[ValidationError]:
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int):
        return [ValidationError(_("The amount must be a whole number of fen."),
                                code="amount_invalid")]
    if amount_fen <= 0:
        return [ValidationError(_("The amount to split must be positive."),
                                code="amount_not_positive")]
    if amount_fen > MAX_AMOUNT_FEN:
        return [ValidationError(_("The amount is implausibly large."), code="amount_too_large")]
    return []


def validate(amount_fen, shares: Shares, people: list[Person], *, min_team_share,
             legal_basis: str = "") -> None:
    """Raise a ValidationError (field → errors, each with a code) unless the split is legal."""
    errors: dict[str, list[ValidationError]] = {}
    amount_errors = validate_amount(amount_fen)
    if amount_errors:
        errors["amount_fen"] = amount_errors
    points = {}
    for name in ("team", "office", "institution"):
        bp = to_basis_points(getattr(shares, name))
        if bp is None:
            errors[f"{name}_share"] = [ValidationError(
                _("A share is a percentage from 0 to 100 with at most two decimals."),
                code="share_invalid")]
        points[name] = bp
    if None not in points.values():
        if sum(points.values()) != WHOLE:
            errors.setdefault("institution_share", []).append(ValidationError(
                _("The shares must sum to exactly 100%% (they sum to %(total)s%%).")
                % {"total": Decimal(sum(points.values())) / 100}, code="shares_sum"))
        minimum = to_basis_points(min_team_share) or 0
        if points["team"] < minimum:
            errors.setdefault("team_share", []).append(ValidationError(
                _("The team's share of %(share)s%% is below the legal minimum of %(minimum)s%% "
                  "(%(basis)s).")
                % {"share": Decimal(points["team"]) / 100, "minimum": Decimal(minimum) / 100,
                   "basis": legal_basis.strip() or _("reward rule")},
                code="below_minimum"))
    errors.update(_validate_people(people))
    if errors:
        raise ValidationError(errors)


def _validate_people(people: list[Person]) -> dict:
    if not people:
        return {"allocations": [ValidationError(
            _("Name at least one person to receive the team's reward."), code="no_recipients")]}
    problems = []
    names = [p.name.strip() for p in people]
    if any(not n for n in names):
        problems.append(ValidationError(_("Every recipient needs a name."), code="name_missing"))
    if len(set(names)) != len(names):
        problems.append(ValidationError(_("A recipient is listed twice."), code="duplicate_name"))
    points = [to_basis_points(p.contribution) for p in people]
    if any(bp is None or bp == 0 for bp in points):
        problems.append(ValidationError(
            _("Each contribution is a percentage above 0 and at most 100, two decimals."),
            code="contribution_invalid"))
    elif sum(points) != WHOLE:
        problems.append(ValidationError(
            _("The contributions must sum to exactly 100%% (they sum to %(total)s%%).")
            % {"total": Decimal(sum(points)) / 100}, code="contributions_sum"))
    return {"allocations": problems} if problems else {}


def compute(amount_fen: int, shares: Shares, people: list[Person]) -> SplitResult:
    """Amounts in fen for a validated split.

    The team's part is rounded up, so it is never below its percentage (the legal minimum
    holds to the fen); the remaining fen go to the office and the institution by largest
    remainder; the team's part is apportioned to people by contribution.
    """
    team_bp = to_basis_points(shares.team)
    office_bp = to_basis_points(shares.office)
    institution_bp = to_basis_points(shares.institution)
    team_fen = -((-amount_fen * team_bp) // WHOLE)  # ceiling division
    office_fen, institution_fen = apportion(amount_fen - team_fen, [office_bp, institution_bp])
    allocations = apportion(team_fen, [to_basis_points(p.contribution) for p in people])
    return SplitResult(team_fen, office_fen, institution_fen, tuple(allocations))


def format_fen(fen: int) -> str:
    """12345678 → '123,456.78' (yuan with two decimals, exact)."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{yuan:,}.{cents:02d}"
