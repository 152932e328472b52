"""Demo: index everything the other apps' demo seeders made (adds no rows; idempotent)."""

from tmhub.matching.indexing import rebuild


def seed(ctx) -> None:
    counts = rebuild()
    ctx.log("match indexes: " + ", ".join(f"{kind} {n}" for kind, n in counts.items()))
