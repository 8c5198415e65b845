"""Extract, update and check the Norwegian Bokmål (``nb``) gettext catalogues.

Every string marked for translation lives in exactly one catalogue:

- ``project``: ``src/u4ssc/locale/nb/LC_MESSAGES/django.po`` holds the strings of the web
  project (``src/u4ssc/web``) and of the catalogue app's templates and Python files. The
  catalogue app's own ``locale`` file is GENERATED with the KPI names by
  ``tools/catalogue_translations.py`` and is never touched here.
- ``<app>``: ``src/u4ssc/apps/<app>/locale/nb/LC_MESSAGES/django.po`` for every other app.

Extraction is Django's ``makemessages`` run on a temporary copy of the sources (tests,
migrations and static files left out), merged with the committed file by ``msgmerge``: the
working tree is only written in update mode. Entries carry the file they come from but no
line numbers, so that moving code does not rewrite the catalogues.

    python tools/messages.py                 # update every catalogue; new strings come in
                                             # with an empty msgstr, to be translated
    python tools/messages.py evaluations     # update only these
    python tools/messages.py --check         # exit 1 if a catalogue misses a marked string
                                             # (strings the code no longer has are only
                                             # listed: they do no harm until the next update)

Then translate the empty ``msgstr`` entries (and any ``#, fuzzy`` one: msgmerge's guess
from a similar string) and run ``make messages``. See docs/i18n.md.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "u4ssc"
LANGUAGE = "nb"
PO_PATH = Path("locale") / LANGUAGE / "LC_MESSAGES" / "django.po"
# Apps whose sources go into the project catalogue rather than their own.
INTO_PROJECT = ("catalogue",)
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
SKIP_DIRS = {"tests", "migrations", "locale", "static", "__pycache__"}

HEADER = """# Norwegian Bokmål translations of {what}.
# Kept up to date with tools/messages.py (see docs/i18n.md).
msgid ""
msgstr ""
"Project-Id-Version: u4ssc\\n"
"Report-Msgid-Bugs-To: \\n"
"Language: nb\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""


# ------------------------------------------------------------------ reading .po files


@dataclass
class Entry:
    """One message of a .po file (the header has ``msgid == ""``)."""

    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    refs: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr) and "fuzzy" not in self.flags


_FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file, header included (a small reader: no polib here)."""
    entries: list[Entry] = []
    entry = Entry()
    started = False
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, started, target
        if started:
            entries.append(entry)
        entry, started, target = Entry(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line or line.startswith("#"):
                continue
        elif line.startswith("#"):
            if started and target is not None and target[0].startswith("msgstr"):
                finish()
            if line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            elif line.startswith("#:"):
                entry.refs += line[2:].split()
            continue
        match = _FIELD.match(line)
        if match:
            name, text = match.group(1), ast.literal_eval(match.group(2))
            if name in ("msgctxt", "msgid") and target is not None and target[0] == "msgstr":
                finish()
            started = True
            if name == "msgctxt":
                entry.msgctxt, target = text, ("msgctxt", 0)
            elif name == "msgid":
                entry.msgid, target = text, ("msgid", 0)
            elif name == "msgid_plural":
                entry.msgid_plural, target = text, ("msgid_plural", 0)
            else:
                index = int(name[7:-1]) if "[" in name else 0
                while len(entry.msgstr) <= index:
                    entry.msgstr.append("")
                entry.msgstr[index] = text
                target = ("msgstr", index)
        elif line.startswith('"') and target is not None:
            text = ast.literal_eval(line)
            kind, index = target
            if kind == "msgstr":
                entry.msgstr[index] += text
            elif kind == "msgctxt":
                entry.msgctxt = (entry.msgctxt or "") + text
            else:
                setattr(entry, kind, getattr(entry, kind) + text)
        else:
            raise ValueError(f"{path}: cannot read the line {raw!r}")
    finish()
    return entries


def messages(path: Path) -> list[Entry]:
    """The live messages of a .po file: no header, no obsolete entry."""
    return [e for e in read_po(path) if e.msgid and not e.obsolete]


# ------------------------------------------------------------------ catalogues


@dataclass(frozen=True)
class Catalogue:
    name: str
    po: Path
    sources: tuple[Path, ...]


def catalogues() -> list[Catalogue]:
    """Every catalogue this tool keeps: the project's, then one per app."""
    project_sources = (PACKAGE / "web", *(PACKAGE / "apps" / a for a in INTO_PROJECT))
    found = [Catalogue("project", PACKAGE / PO_PATH, project_sources)]
    for app in sorted((PACKAGE / "apps").iterdir()):
        if (app / "__init__.py").exists() and app.name not in INTO_PROJECT:
            found.append(Catalogue(app.name, app / PO_PATH, (app,)))
    return found


def _copy_sources(catalogue: Catalogue, into: Path) -> None:
    for source in catalogue.sources:
        for dirpath, dirnames, filenames in os.walk(source):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            for name in filenames:
                path = Path(dirpath) / name
                if path.suffix in SOURCE_SUFFIXES:
                    target = into / path.relative_to(PACKAGE)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)


def extract(catalogue: Catalogue) -> str:
    """The catalogue as ``makemessages`` would leave it: the committed translations kept,
    new strings added untranslated, strings the code no longer has dropped."""
    with tempfile.TemporaryDirectory(prefix="u4ssc-messages-") as tmp:
        work = Path(tmp)
        _copy_sources(catalogue, work)
        po = work / PO_PATH
        po.parent.mkdir(parents=True)
        if catalogue.po.exists():
            shutil.copyfile(catalogue.po, po)
        else:
            what = "the project" if catalogue.name == "project" else f"the {catalogue.name} app"
            po.write_text(HEADER.format(what=what), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        # Without settings makemessages writes only below the current folder (with them
        # it would write into LOCALE_PATHS, i.e. the working tree).
        subprocess.run(
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "--locale",
                LANGUAGE,
                "--no-obsolete",
                "--no-wrap",
                "--add-location=file",
                "--verbosity",
                "0",
            ],
            cwd=work,
            env=env,
            check=True,
        )
        text = po.read_text(encoding="utf-8")
    # The date of each run would make every update a change.
    return re.sub(r'^"POT-Creation-Date: .*\\n"\n', "", text, flags=re.MULTILINE)


def update(catalogue: Catalogue) -> str:
    text = extract(catalogue)
    if not catalogue.po.exists() and not re.search(r'^msgid "[^"]', text, flags=re.MULTILINE):
        return f"{catalogue.name}: nothing to translate"
    if catalogue.po.exists() and _content(read_text(text)) == _content(messages(catalogue.po)):
        # Only references or layout would change: leave the file (and its history) alone.
        return f"{catalogue.name}: unchanged"
    catalogue.po.parent.mkdir(parents=True, exist_ok=True)
    catalogue.po.write_text(text, encoding="utf-8")
    todo = sum(1 for e in messages(catalogue.po) if not e.translated)
    return f"{catalogue.name}: wrote {catalogue.po.relative_to(ROOT)} ({todo} to translate)"


def read_text(text: str) -> list[Entry]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "django.po"
        path.write_text(text, encoding="utf-8")
        return messages(path)


def _content(entries: list[Entry]) -> set[tuple]:
    return {(e.key, e.msgid_plural, tuple(e.msgstr), "fuzzy" in e.flags) for e in entries}


def check(catalogue: Catalogue) -> tuple[list[str], list[str]]:
    """(strings the code marks that ``catalogue`` lacks, strings it keeps that the code
    no longer has)."""
    wanted = {e.key for e in read_text(extract(catalogue))}
    have = {e.key for e in messages(catalogue.po)} if catalogue.po.exists() else set()
    where = catalogue.po.relative_to(ROOT)
    missing = [f"{where}: not in the catalogue: {m!r}" for _c, m in sorted(wanted - have)]
    stale = [f"{where}: no longer in the code: {m!r}" for _c, m in sorted(have - wanted)]
    return missing, stale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="catalogues to update (default: all)")
    parser.add_argument("--check", action="store_true", help="change nothing; report gaps")
    args = parser.parse_args()
    chosen = [c for c in catalogues() if not args.names or c.name in args.names]
    unknown = set(args.names) - {c.name for c in chosen}
    if unknown:
        parser.error(f"no catalogue named {', '.join(sorted(unknown))}")
    if args.check:
        found = [check(c) for c in chosen]
        missing = [line for lines, _stale in found for line in lines]
        stale = [line for _missing, lines in found for line in lines]
        for line in stale + missing:
            print(line)
        if missing:
            print("run python tools/messages.py, translate the new entries, then make messages")
        return 1 if missing else 0
    for c in chosen:
        print(update(c))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
