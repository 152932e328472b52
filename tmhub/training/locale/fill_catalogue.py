"""Fill the training catalogues after `makemessages`: Chinese from zh_hans_strings.ZH,
English = the msgid. Run: python tmhub/training/locale/fill_catalogue.py"""

from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent


def main():
    import sys

    sys.path.insert(0, str(HERE))
    from zh_hans_strings import ZH

    missing = []
    for language in ("zh_Hans", "en"):
        po = polib.pofile(str(HERE / language / "LC_MESSAGES" / "django.po"))
        for entry in po:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            if language == "en":
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                else:
                    entry.msgstr = entry.msgid
                continue
            text = ZH.get(entry.msgid)
            if text is None:
                missing.append(entry.msgid)
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = {0: text}
            else:
                entry.msgstr = text
        po.save()
    print("missing:", missing)


if __name__ == "__main__":
    main()
