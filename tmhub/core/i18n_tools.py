"""Translation catalogue tools that need no system gettext: compile and check completeness.

`python -m tmhub.core.i18n_tools compile` writes a .mo beside every .po under tmhub/;
`check` lists untranslated or fuzzy entries (the test suite fails on any).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent  # the tmhub package
LANGUAGES = ("zh_Hans", "en")


def catalogues(root: Path = ROOT):
    return sorted(root.glob("**/locale/*/LC_MESSAGES/django*.po"))


def compile_all(root: Path = ROOT) -> int:
    count = 0
    for po_path in catalogues(root):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
    return count


def missing_translations(root: Path = ROOT) -> list[str]:
    """'<file>: <msgid>' for every entry without a usable translation."""
    problems = []
    for po_path in catalogues(root):
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete:
                continue
            untranslated = not entry.translated()
            if untranslated or "fuzzy" in entry.flags:
                problems.append(f"{po_path.relative_to(root)}: {entry.msgid!r}")
    return problems


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if command == "compile":
        print(f"compiled {compile_all()} catalogues")
    elif command == "check":
        missing = missing_translations()
        print("\n".join(missing) or "all catalogues complete")
        sys.exit(1 if missing else 0)
