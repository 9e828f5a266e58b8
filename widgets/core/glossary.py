"""One term per concept: a language's glossary, and every place its words are not kept.

``content/<lang>/glossary.yaml`` names the one term for each concept (values, worth,
check-in, power within, people who use drugs...) and the words to avoid, plus the
particles that mark a speaker's gender. :func:`glossary_problems` reads every string of
the language and lists each avoided word it finds, so a test (and translators) can keep
the whole translation consistent. Files that quote stigmatising words on purpose are
skipped, as the moderation check does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from widgets.core.content import ContentLibrary, library

#: Files never checked: the glossary itself, the moderation list, quoted self-talk.
SKIPPED = ("glossary.yaml", "moderation.yaml", "meta.yaml", "status.yaml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Term(_Strict):
    en: str = Field(min_length=1)
    th: str = Field(min_length=1, description="The one term to use")
    note: str = ""
    avoid: tuple[str, ...] = ()
    except_: tuple[str, ...] = Field((), alias="except")


class Glossary(_Strict):
    quoted: bool = Field(
        False, description="Lists the avoided words on purpose (moderation skips it)"
    )
    terms: dict[str, Term]
    particles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """An avoided word found in one string."""

    file: str
    key: str
    found: str
    use: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: '{self.found}' (use: {self.use})"


def load_glossary(lang: str, content: ContentLibrary | None = None) -> Glossary:
    content = content or library()
    return content.load(f"{lang}/glossary.yaml", Glossary)


def strings(lang: str, content: ContentLibrary | None = None) -> Iterator[tuple[str, str, str]]:
    """Every (file, key, words) in ``lang``: its word files, flows, instruments and risk
    screens, and the language's words in the site's contacts and national help lines."""
    content = content or library()
    root = content.root
    for path in sorted((root / lang).rglob("*.yaml")):
        relative = path.relative_to(root).as_posix()
        if path.name in SKIPPED or "/quoted/" in f"/{relative}":
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        quoted = isinstance(data, dict) and data.get("quoted") is True
        for key, words in _flat(data, ()):
            if quoted and key.startswith("items."):
                continue  # an instrument's items quote the thoughts the scale asks about
            yield relative, key, words
    for folder in ("local", "countries"):
        for path in sorted((root / folder).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            relative = path.relative_to(root).as_posix()
            for key, words in _flat(data, ()):
                if key.endswith(f".{lang}"):
                    yield relative, key, words


def glossary_problems(lang: str, content: ContentLibrary | None = None) -> list[Problem]:
    """Every avoided word and gendered particle found in ``lang``'s strings."""
    content = content or library()
    glossary = load_glossary(lang, content)
    checks: list[tuple[re.Pattern[str], str]] = []
    for term in glossary.terms.values():
        for word in term.avoid:
            checks.append((re.compile(re.escape(word)), term.th))
    particle = (
        re.compile(
            "(?:"
            + "|".join(re.escape(p) for p in sorted(glossary.particles, key=len, reverse=True))
            + r")(?=$|[\s\"'.,!?)…:;])"
        )
        if glossary.particles
        else None
    )
    excepted = [phrase for term in glossary.terms.values() for phrase in term.except_]
    problems = []
    for file, key, words in strings(lang, content):
        plain = words
        for phrase in excepted:
            plain = plain.replace(phrase, " ")
        for pattern, use in checks:
            for match in pattern.finditer(plain):
                problems.append(Problem(file, key, match.group(0), use))
        if particle is not None:
            for match in particle.finditer(words):
                problems.append(Problem(file, key, match.group(0), "no gendered particle"))
    return problems


def _flat(data: Any, prefix: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _flat(value, (*prefix, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _flat(value, (*prefix, str(index)))
    elif isinstance(data, str):
        yield ".".join(prefix), data


def glossary_path(lang: str, content: ContentLibrary | None = None) -> Path:
    return (content or library()).root / lang / "glossary.yaml"
