"""Translation catalogue tools that need no system gettext: compile and check completeness.

`python -m tmhub.core.i18n_tools compile` writes a .mo beside every .po under tmhub/;
`check` lists untranslated or fuzzy entries (the test suite fails on any);
`add <app> <entries.json>` adds or updates entries in both catalogues of one app under a lock,
so several people adding strings at once never overwrite each other's work. The JSON is a list of
{"msgid", "zh", "en"} objects, with optional "msgctxt", "msgid_plural", "zh_plural", "en_plural".
"""

from __future__ import annotations

import fcntl
import json
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


def new_catalogue(language: str) -> polib.POFile:
    """An empty catalogue with the header gettext needs (without a charset, Python's gettext
    reads the file as ASCII and fails on the first Chinese translation)."""
    catalogue = polib.POFile()
    catalogue.metadata = {
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": (
            "nplurals=1; plural=0;" if language == "zh_Hans" else "nplurals=2; plural=(n != 1);"
        ),
    }
    return catalogue


def add_entries(app: str, entries: list[dict], root: Path = ROOT) -> int:
    """Add or update `entries` in tmhub/<app>'s zh_Hans and en catalogues; returns the count."""
    lock_path = root / app / "locale" / ".lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for language, key in (("zh_Hans", "zh"), ("en", "en")):
            po_path = root / app / "locale" / language / "LC_MESSAGES" / "django.po"
            catalogue = polib.pofile(str(po_path)) if po_path.exists() else new_catalogue(language)
            for item in entries:
                entry = catalogue.find(item["msgid"], msgctxt=item.get("msgctxt"))
                if entry is None:
                    entry = polib.POEntry(msgid=item["msgid"], msgctxt=item.get("msgctxt"))
                    catalogue.append(entry)
                if item.get("msgid_plural"):
                    entry.msgid_plural = item["msgid_plural"]
                    entry.msgstr_plural = {0: item[key], 1: item.get(f"{key}_plural", item[key])}
                else:
                    entry.msgstr = item[key]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            po_path.parent.mkdir(parents=True, exist_ok=True)
            catalogue.save(str(po_path))
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    return len(entries)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if command == "compile":
        print(f"compiled {compile_all()} catalogues")
    elif command == "check":
        missing = missing_translations()
        print("\n".join(missing) or "all catalogues complete")
        sys.exit(1 if missing else 0)
    elif command == "add":
        with open(sys.argv[3], encoding="utf-8") as handle:
            print(f"added {add_entries(sys.argv[2], json.load(handle))} entries to {sys.argv[2]}")
