"""Translation review with the tools translators already use: PO files, and a status per string.

``within translations export --lang th`` writes every English string with its current Thai,
where it appears (``content/en/<file>:<line>``) and its status, as a PO file (Babel), which
Poedit, Weblate or any PO editor opens. A string still in draft is marked *fuzzy*, the PO
word for "needs review". ``within translations import FILE`` writes the reviewed strings back
into ``content/<lang>/`` (comments kept, via ruamel.yaml) and records each one's status in
``content/<lang>/status.yaml`` with a hash of its English source, so a string whose English
changes later goes back to draft by itself.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from widgets.core.content import DEFAULT_LANGUAGE, ContentLibrary, library

Status = Literal["reviewed", "draft", "missing"]
STATUS_FILE = "status.yaml"
#: Files of a language that are not strings to translate one by one.
NOT_STRINGS = ("meta.yaml", "moderation.yaml", "glossary.yaml", STATUS_FILE)
#: Keys that hold ids, numbers or lists of ids, not words.
NOT_TEXT = frozenset({"id", "kind", "pick", "minutes", "steps", "answers"})
_FIELD = re.compile(r"\{[a-z_]+\}")


@dataclass(frozen=True)
class Source:
    """One English string: its file (inside ``content/en/``), key and line."""

    file: str
    key: str
    english: str
    line: int

    @property
    def id(self) -> str:
        return f"{self.file}:{self.key}"


@dataclass
class ImportReport:
    """What ``import_po`` did: strings marked reviewed, draft strings whose words changed, and
    strings left alone with why."""

    lang: str
    reviewed: int = 0
    draft: int = 0
    skipped: list[str] = field(default_factory=list)


def source_hash(english: str) -> str:
    """A short fingerprint of an English string (whitespace and Unicode form ignored)."""
    normal = " ".join(unicodedata.normalize("NFC", english).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


def sources(content: ContentLibrary | None = None) -> list[Source]:
    """Every English string to translate, in file order, with the line it starts on."""
    content = content or library()
    root = content.root / DEFAULT_LANGUAGE
    found = []
    for path in sorted(root.rglob("*.yaml")):
        relative = path.relative_to(root).as_posix()
        if path.name in NOT_STRINGS:
            continue
        node = yaml.compose(path.read_text(encoding="utf-8"))
        for key, words, line in _walk(node, ()):
            found.append(Source(relative, key, words, line))
    return found


def translation(lang: str, source: Source, content: ContentLibrary | None = None) -> str | None:
    """The current words for ``source`` in ``lang``, or None when not translated."""
    content = content or library()
    path = content.root / lang / source.file
    if not path.is_file():
        return None
    words = _get(_parsed(path, path.stat().st_mtime_ns), source.key.split("."))
    return words if isinstance(words, str) else None


@functools.lru_cache(maxsize=256)
def _parsed(path: Path, _mtime: int) -> Any:
    """A file's data, parsed once per version of the file (the mtime is part of the key)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def recorded(lang: str, content: ContentLibrary | None = None) -> dict[str, dict[str, str]]:
    """``content/<lang>/status.yaml`` as {string id: {status, source}} (empty when absent)."""
    content = content or library()
    path = content.root / lang / STATUS_FILE
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        str(k): dict(v) for k, v in (data.get("strings") or {}).items() if isinstance(v, Mapping)
    }


def statuses(lang: str, content: ContentLibrary | None = None) -> dict[str, Status]:
    """Each string's status: reviewed only while its English is the one that was reviewed."""
    content = content or library()
    marks = recorded(lang, content)
    result: dict[str, Status] = {}
    for source in sources(content):
        if translation(lang, source, content) is None:
            result[source.id] = "missing"
            continue
        mark = marks.get(source.id, {})
        fresh = mark.get("source") == source_hash(source.english)
        result[source.id] = "reviewed" if mark.get("status") == "reviewed" and fresh else "draft"
    return result


def export_po(lang: str, out: Path | io.BytesIO, content: ContentLibrary | None = None) -> int:
    """Write the PO file for ``lang``; returns how many strings it holds."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    content = content or library()
    state = statuses(lang, content)
    name = content.languages()[lang].english_name
    catalog = Catalog(
        locale=lang,
        project="Within",
        header_comment=(
            f"# {name} words of Within, for review. Each entry: the English (msgid), the current\n"
            "# words (msgstr), where the English is (#:) and its status. Fuzzy means draft:\n"
            "# remove the fuzzy mark once a native speaker has checked the words, then\n"
            "# `within translations import FILE` writes them back."
        ),
        copyright_holder="Within contributors",
        version=_within_version(),
        msgid_bugs_address="https://github.com/within-project/within/issues",
        creation_date=dt.datetime.now(dt.UTC),
        charset="utf-8",
    )
    count = 0
    for source in sources(content):
        current = translation(lang, source, content) or ""
        status = state[source.id]
        catalog.add(
            source.english,
            current,
            locations=[(f"content/{DEFAULT_LANGUAGE}/{source.file}", source.line)],
            flags=("fuzzy",) if status == "draft" else (),
            auto_comments=[f"status: {status}"],
            context=source.id,
        )
        count += 1
    if isinstance(out, Path):
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as handle:
            write_po(handle, catalog, width=0, omit_header=False)
    else:
        write_po(out, catalog, width=0)
    return count


def import_po(
    path: Path, content: ContentLibrary | None = None, lang: str | None = None
) -> ImportReport:
    """Write a reviewed PO file's strings into ``content/<lang>/`` and record their status.

    A string is *reviewed* when the PO entry is not fuzzy, *draft* when it is. Entries are
    left alone, each with its reason in the report, when their English changed since the
    export, their fields ({name}) differ from the English, or they are empty or unknown.
    Raises ``ValueError`` with a plain reason when the file is not a PO file Within made.
    """
    from babel.messages.pofile import PoFileError, read_po

    content = content or library()
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except (OSError, PoFileError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} cannot be read as a PO file ({error})") from None
    if not any(message.id and message.context for message in catalog):
        raise ValueError(
            f"{path} is not a PO file made by `within translations export` (no Within strings in it)"
        )
    lang = lang or (str(catalog.locale) if catalog.locale else "")
    if lang not in content.languages() or lang == DEFAULT_LANGUAGE:
        raise ValueError(f"{path}: the language '{lang}' is not a translation Within has")
    known = {source.id: source for source in sources(content)}
    report = ImportReport(lang)
    edits: dict[str, list[tuple[Source, str]]] = {}
    marks = recorded(lang, content)
    for message in catalog:
        if not message.id or not message.context:
            continue
        source = known.get(message.context)
        if source is None:
            report.skipped.append(f"{message.context}: no such string any more")
            continue
        if source.english != message.id:
            report.skipped.append(f"{source.id}: the English changed since this file was exported")
            continue
        words = message.string if isinstance(message.string, str) else ""
        if not words.strip():
            report.skipped.append(f"{source.id}: empty")
            continue
        if sorted(_FIELD.findall(words)) != sorted(_FIELD.findall(source.english)):
            report.skipped.append(
                f"{source.id}: the fields in braces must be the same as in the English "
                f"({', '.join(sorted(set(_FIELD.findall(source.english)))) or 'none'})"
            )
            continue
        reviewed = not message.fuzzy
        changed = " ".join(words.split()) != " ".join(
            (translation(lang, source, content) or "").split()
        )
        if changed:  # untouched strings keep their file exactly as it was
            edits.setdefault(source.file, []).append((source, words))
        if reviewed or changed or source.id in marks:
            marks[source.id] = {
                "status": "reviewed" if reviewed else "draft",
                "source": source_hash(source.english),
            }
        if reviewed:
            report.reviewed += 1
        elif changed:
            report.draft += 1
    for file, changes in edits.items():
        _write_strings(content.root / lang / file, changes)
    _write_status(content.root / lang / STATUS_FILE, lang, marks)
    return report


def _within_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("within")
    except PackageNotFoundError:
        return "development"


def _walk(node: Any, prefix: tuple[str, ...]) -> Iterator[tuple[str, str, int]]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            yield from _walk(value, (*prefix, str(key_node.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _walk(item, (*prefix, _item_key(item, index)))
    elif (
        isinstance(node, yaml.ScalarNode)
        and node.tag == "tag:yaml.org,2002:str"
        and prefix
        and prefix[-1] not in NOT_TEXT
    ):
        yield ".".join(prefix), node.value, node.start_mark.line + 1


def _item_key(item: Any, index: int) -> str:
    """A list item's key: its ``id`` (flow steps), so keys survive reordering."""
    if isinstance(item, yaml.MappingNode):
        for key_node, value in item.value:
            if key_node.value == "id" and isinstance(value, yaml.ScalarNode):
                return str(value.value)
    if isinstance(item, Mapping) and "id" in item:
        return str(item["id"])
    return str(index)


def _get(data: Any, parts: list[str]) -> Any:
    node = data
    for part in parts:
        if isinstance(node, Mapping):
            node = node.get(part)
        elif isinstance(node, list):
            node = next((item for i, item in enumerate(node) if _item_key(item, i) == part), None)
        else:
            return None
    return node


def _round_trip() -> Any:
    from ruamel.yaml import YAML

    handler = YAML()
    handler.preserve_quotes = True
    handler.width = 4096  # Thai has few spaces to fold at; keep each string on its lines
    handler.indent(mapping=2, sequence=4, offset=2)
    return handler


def _write_strings(path: Path, changes: list[tuple[Source, str]]) -> None:
    """Set each string in ``path`` (creating the file or keys as needed), comments kept."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    handler = _round_trip()
    data = handler.load(path.read_text(encoding="utf-8")) if path.is_file() else CommentedMap()
    for source, words in changes:
        parts = source.key.split(".")
        node = data
        for part in parts[:-1]:
            child = _get(node, [part])
            if child is None:
                child = CommentedMap()
                node[part] = child
            node = child
        old = node.get(parts[-1]) if isinstance(node, Mapping) else None
        if isinstance(old, LiteralScalarString) or "\n" in words.strip():
            value: Any = LiteralScalarString(words)
        elif isinstance(old, FoldedScalarString):
            value = FoldedScalarString(words)
        else:
            value = words
        node[parts[-1]] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        handler.dump(data, handle)


def _write_status(path: Path, lang: str, marks: Mapping[str, Mapping[str, str]]) -> None:
    header = (
        f"# Review status of each {lang} string (written by `within translations import`).\n"
        "# reviewed: checked by a native speaker against the English whose hash is `source`;\n"
        "# a string missing here, marked draft, or whose English has changed since, is a draft.\n"
    )
    body = yaml.safe_dump(
        {"strings": {key: dict(marks[key]) for key in sorted(marks)}},
        allow_unicode=True,
        sort_keys=False,
        width=4096,
    )
    path.write_text(header + body, encoding="utf-8")


def summary(lang: str, content: ContentLibrary | None = None) -> dict[str, Any]:
    """Counts by status, and the draft strings by file, for staff and translators."""
    state = statuses(lang, content)
    counts = {
        status: sum(1 for s in state.values() if s == status)
        for status in ("reviewed", "draft", "missing")
    }
    by_file: dict[str, int] = {}
    for string_id, status in state.items():
        if status != "reviewed":
            file = string_id.split(":", 1)[0]
            by_file[file] = by_file.get(file, 0) + 1
    return {"lang": lang, "total": len(state), **counts, "not_reviewed_by_file": by_file}
