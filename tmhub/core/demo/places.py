"""Where Beijing's real institutions are: the district of each university, hospital and
institute in the shared public data (../shared/data, see its README).

The demo places every real organisation by these files alone. A name the files do not list,
or list without a district (two universities whose main campus is in Hebei), gets no district:
an empty field is honest, a guessed one is the first thing a Beijing official notices.
"""

from __future__ import annotations

import json
import re
from functools import cache

from django.conf import settings

# (file, what kind of organisation its rows are)
FILES = {
    "beijing_universities_districts.json": "university",
    "beijing_research_institutes.json": "research_institute",
    "beijing_hospitals.json": "medical",
}


def clean_name(name: str) -> str:
    """A name as printed: the universities file breaks one name across two lines."""
    return re.sub(r"\s+", "", name or "")


@cache
def rows(filename: str) -> tuple[dict, ...]:
    """The rows of one data file (names cleaned); none when the shared data is absent."""
    path = settings.SHARED_DATA_DIR / filename
    if not path.exists():
        return ()
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple({**row, "name": clean_name(row["name"])} for row in data)


@cache
def real_districts() -> dict[str, str | None]:
    """Organisation name → the Chinese name of its district (None where the file has none)."""
    result: dict[str, str | None] = {}
    for filename in FILES:
        for row in rows(filename):
            result.setdefault(row["name"], row.get("district") or None)
    return result


def district_of(name: str):
    """The District row of a real organisation, or None (not listed, or listed without one)."""
    from tmhub.core.models import District

    district_name = real_districts().get(clean_name(name))
    if not district_name:
        return None
    return District.objects.filter(name_zh=district_name).first()
