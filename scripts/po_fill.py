"""Fill Thai msgstr entries from a JSON mapping {msgid: msgstr} across every app catalogue.

Usage: .venv/bin/python scripts/po_fill.py            (reads every scripts/i18n/th-*.json, compiles .mo)
       .venv/bin/python scripts/po_fill.py --missing            (lists untranslated msgids)
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogues():
    return sorted(ROOT.glob("khuang/*/locale/th/LC_MESSAGES/django.po"))


def main() -> int:
    if sys.argv[1:] == ["--missing"]:
        for path in catalogues():
            for entry in polib.pofile(str(path)).untranslated_entries():
                print(json.dumps(entry.msgid, ensure_ascii=False))
        return 0
    mapping: dict[str, str] = {}
    for source in sorted((ROOT / "scripts" / "i18n").glob("th-*.json")):
        mapping.update(json.loads(source.read_text()))
    for path in catalogues():
        po = polib.pofile(str(path))
        for entry in po:
            if entry.msgid_plural:  # Thai has one plural form: msgstr[0]
                if entry.msgid in mapping and (not any(entry.msgstr_plural.values()) or "fuzzy" in entry.flags):
                    entry.msgstr_plural = {0: mapping[entry.msgid]}
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
                continue
            if entry.msgid in mapping and (not entry.msgstr or "fuzzy" in entry.flags):
                entry.msgstr = mapping[entry.msgid]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        po.save()
        po.save_as_mofile(str(path.with_suffix(".mo")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
