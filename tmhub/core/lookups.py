"""An integer the database cannot hold never reaches it: such a lookup matches nothing.

Django already answers `pk=10**30` with an empty result; `pk__in=[10**30]`, `project=10**30`
(a foreign key), `project__in=…` and `…__range=(1, 10**30)` still sent the value, and SQLite
raised OverflowError (a 500 from any form or filter given an id of 30 digits). These lookups
replace Django's for integer columns and foreign keys onto them (installed by CoreConfig.ready):
a value outside the column's range is dropped, an exact match on one becomes an empty result,
and a comparison with one is settled without asking the database.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import (
    RelatedExact,
    RelatedGreaterThan,
    RelatedGreaterThanOrEqual,
    RelatedIn,
    RelatedLessThan,
    RelatedLessThanOrEqual,
)
from django.db.models.lookups import In, Range


def integer_range(field, connection) -> tuple[int | None, int | None]:
    """(min, max) of the integer column behind `field` (a foreign key: its target), or Nones."""
    field = getattr(field, "target_field", None) or field
    try:
        return connection.ops.integer_field_range(field.get_internal_type())
    except KeyError:  # not an integer column
        return None, None


def _outside(value, low, high) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and ((low is not None and value < low) or (high is not None and value > high))
    )


class _Bounded:
    """exact / gt / gte / lt / lte: a value out of range decides the lookup by itself."""

    underflow_exception = EmptyResultSet
    overflow_exception = EmptyResultSet

    def process_rhs(self, compiler, connection):
        if not getattr(self.lhs, "sources", None):  # single column
            low, high = integer_range(self.lhs.output_field, connection)
            if _outside(self.rhs, low, None):
                raise self.underflow_exception
            if _outside(self.rhs, None, high):
                raise self.overflow_exception
        return super().process_rhs(compiler, connection)


class _InRange:
    """in: values out of range cannot match and are left out (none left: nothing matches)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and not getattr(self.lhs, "sources", None):
            low, high = integer_range(self.lhs.output_field, connection)
            if any(_outside(value, low, high) for value in self.rhs):
                self.rhs = [value for value in self.rhs if not _outside(value, low, high)]
        return super().process_rhs(compiler, connection)


class IntegerIn(_InRange, In):
    pass


class IntegerRange(Range):
    """range: bounds beyond the column's range are clamped to it."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and len(self.rhs) == 2:
            low, high = integer_range(self.lhs.output_field, connection)
            start, end = self.rhs
            if _outside(start, None, high) or _outside(end, low, None):
                raise EmptyResultSet
            self.rhs = (
                low if _outside(start, low, None) else start,
                high if _outside(end, None, high) else end,
            )
        return super().process_rhs(compiler, connection)


class GuardedRelatedIn(_InRange, RelatedIn):
    pass


class GuardedRelatedExact(_Bounded, RelatedExact):
    pass


class GuardedRelatedGreaterThan(_Bounded, RelatedGreaterThan):
    underflow_exception = FullResultSet


class GuardedRelatedGreaterThanOrEqual(_Bounded, RelatedGreaterThanOrEqual):
    underflow_exception = FullResultSet


class GuardedRelatedLessThan(_Bounded, RelatedLessThan):
    overflow_exception = FullResultSet


class GuardedRelatedLessThanOrEqual(_Bounded, RelatedLessThanOrEqual):
    overflow_exception = FullResultSet


def install() -> None:
    IntegerField.register_lookup(IntegerIn)
    IntegerField.register_lookup(IntegerRange)
    for lookup in (
        GuardedRelatedIn,
        GuardedRelatedExact,
        GuardedRelatedGreaterThan,
        GuardedRelatedGreaterThanOrEqual,
        GuardedRelatedLessThan,
        GuardedRelatedLessThanOrEqual,
    ):
        ForeignObject.register_lookup(lookup)
