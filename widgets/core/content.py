"""Every participant-facing word, read from ``content/`` and checked on the way in.

Words live in data files so translators and site staff can edit them without code,
and a new language is a new folder (``content/<code>/`` with a ``meta.yaml``), not new
code. Any file that does not fit its expected shape stops with one
:class:`ContentError` naming the file, the field and the problem, instead of a page
breaking later in front of a participant.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from widgets.core.paths import content_dir

#: libyaml's safe loader when PyYAML has it (every page parses content: about 5x faster),
#: else the pure-Python one; both build only plain data.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_LANGUAGE = "en"

ModelT = TypeVar("ModelT", bound=BaseModel)

#: Placeholders any words may use for where answers are kept (see ``privacy.yaml``).
WHERE_TOKENS = ("where", "where_start", "where_kept")


class ContentError(ValueError):
    """A content file is missing, unreadable or does not have the expected shape."""

    def __init__(self, file: str, field: str, problem: str) -> None:
        self.file, self.field, self.problem = file, field, problem
        where = f"field '{field}': " if field else ""
        super().__init__(f"{file}: {where}{problem}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Language(_Strict):
    """A language Within speaks, from ``content/<code>/meta.yaml``."""

    code: str = Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
    name: str = Field(min_length=1, description="The language's name in itself, e.g. ไทย")
    english_name: str = Field(min_length=1)
    status: Literal["reviewed", "draft"]
    review_note: str = ""


Audience = Literal["individuals", "facilitators", "staff", "researchers"]
#: Where an app is served (:mod:`widgets.core.surfaces`): the public participant service, the
#: staff pages behind a login, or the researchers' JupyterLab.
Surface = Literal["participant", "staff", "research"]


class App(_Strict):
    """One guided app (a notebook) in the registry ``content/apps.yaml``."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    notebook: str = Field(pattern=r"^[A-Za-z0-9_-]+\.ipynb$")
    audience: tuple[Audience, ...] = Field(min_length=1)
    surfaces: tuple[Surface, ...] = Field(min_length=1)
    order: int
    modes: tuple[Literal["self", "projector"], ...] = ("self",)
    #: True for a person's own activity (the frame asks for their code first); False for
    #: staff and facilitator tools, which open at once and handle codes themselves.
    personal: bool = True


class Registry(_Strict):
    apps: tuple[App, ...]

    @field_validator("apps")
    @classmethod
    def _unique_ids(cls, apps: tuple[App, ...]) -> tuple[App, ...]:
        seen: set[str] = set()
        for app in apps:
            if app.id in seen:
                raise ValueError(f"app id '{app.id}' is listed twice")
            seen.add(app.id)
        return tuple(sorted(apps, key=lambda a: a.order))


ContactKind = Literal["crisis", "centre", "emergency", "other"]

#: The order help is listed in: a crisis line first (UX: shown first to someone who sees no
#: future), then the centre's own people, then the ambulance.
CONTACT_ORDER: tuple[ContactKind, ...] = ("crisis", "centre", "other", "emergency")

COUNTRY_PATTERN = r"^[A-Z]{2}$"


class Contact(_Strict):
    """A place to get help, shown on every page and with every result."""

    id: str
    kind: ContactKind = "other"
    phone: str = ""
    url: str = ""
    source: str = Field("", description="Where a shipped number was checked (national lines)")
    name: dict[str, str]
    description: dict[str, str] = {}
    hours: dict[str, str] = {}


class CountryContacts(_Strict):
    """National help lines shipped for one country (``content/countries/<country>.yaml``)."""

    country: str = Field(pattern=r"^([A-Z]{2}|other)$")
    contacts: tuple[Contact, ...] = Field(min_length=1)


class SiteContacts(_Strict):
    """The site's own file (``content/local/contacts.yaml``), edited by each centre."""

    country: str = Field("TH", pattern=COUNTRY_PATTERN, description="ISO 3166 code: which national lines")
    confirmed: bool = Field(False, description="True once the centre has checked every contact")
    contacts: tuple[Contact, ...] = ()


class Contacts(_Strict):
    """Every contact a page lists: the country's lines and the centre's own, crisis first."""

    country: str = "TH"
    confirmed: bool = False
    contacts: tuple[Contact, ...] = Field(min_length=1)

    def of_kind(self, kind: ContactKind) -> tuple[Contact, ...]:
        return tuple(contact for contact in self.contacts if contact.kind == kind)


class Step(_Strict):
    """One screen of a guided flow.

    Projected, a step too long for one screen is shown as several ``slides`` (its words cut
    where a facilitator would pause, never shrunk); on a person's own device the slides are
    read one after another as the step's ``body``. A step gives ``body`` or ``slides``.
    ``activity_slide`` projects the step's activity (the widget a module puts under its
    words) on a slide of its own after the words (an activity in parts takes one slide per
    part: ``SlideParts`` in :mod:`widgets.exercises.navigator`).
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str = Field(min_length=1)
    body: str = ""
    slides: tuple[str, ...] = ()
    activity_slide: bool = False
    skippable: bool = True
    check_in: bool = False

    @model_validator(mode="before")
    @classmethod
    def _body_from_slides(cls, data: Any) -> Any:
        if not isinstance(data, Mapping) or not data.get("slides"):
            return data
        if data.get("body"):
            raise ValueError("give the step's words as body or as slides, not both")
        slides = data["slides"]
        if isinstance(slides, list | tuple) and all(isinstance(s, str) for s in slides):
            return {**data, "body": "\n\n".join(s.strip() for s in slides)}
        return data

    @property
    def projected_slides(self) -> tuple[str, ...]:
        """The step's words as projected: one entry per slide (at least one)."""
        return self.slides or (self.body,)


class Flow(_Strict):
    """A guided sequence of steps (``content/<lang>/flows/<id>.yaml``)."""

    title: str = Field(min_length=1)
    steps: tuple[Step, ...] = Field(min_length=1)

    @field_validator("steps")
    @classmethod
    def _unique_steps(cls, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        ids = [s.id for s in steps]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"step ids must be unique; repeated: {', '.join(duplicates)}")
        return steps


def _field_path(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location)


class ContentLibrary:
    """Reads and validates the files under one content folder, each file once.

    Parameters
    ----------
    root:
        The content folder; the shipped one by default. Tests and researchers point
        it at a copy to try changes safely.
    """

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else content_dir()
        self._raw = functools.lru_cache(maxsize=None)(self._read_yaml)

    def _label(self, relative: str) -> str:
        return f"content/{relative}"

    def _read_yaml(self, relative: str) -> Any:
        path = self.root / relative
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ContentError(self._label(relative), "", "the file is missing") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ContentError(self._label(relative), "", f"the file cannot be read ({error})") from None
        try:
            return yaml.load(text, Loader=_SAFE_LOADER)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
            problem = getattr(error, "problem", None) or str(error)
            raise ContentError(self._label(relative), "", f"{where}not valid YAML ({problem})") from None

    def load(self, relative: str, model: type[ModelT]) -> ModelT:
        """Read ``relative`` (inside the content folder) and check it against ``model``."""
        data = self._raw(relative)
        try:
            return model.model_validate(data if data is not None else {})
        except ValidationError as error:
            first = error.errors()[0]
            raise ContentError(
                self._label(relative), _field_path(first["loc"]), first["msg"]
            ) from None

    def strings(self, lang: str, name: str) -> Mapping[str, Any]:
        """A table of words (``content/<lang>/<name>.yaml``): nested mappings of strings."""
        relative = f"{lang}/{name}.yaml"
        data = self._raw(relative)
        if not isinstance(data, Mapping):
            raise ContentError(self._label(relative), "", "expected a mapping of names to words")
        _check_strings(self._label(relative), data, ())
        return data

    def languages(self) -> dict[str, Language]:
        """Every language with a ``meta.yaml``, English first."""
        found = {}
        for meta in sorted(self.root.glob("*/meta.yaml")):
            language = self.load(f"{meta.parent.name}/meta.yaml", Language)
            if language.code != meta.parent.name:
                raise ContentError(
                    self._label(f"{meta.parent.name}/meta.yaml"),
                    "code",
                    f"must match its folder name '{meta.parent.name}'",
                )
            found[language.code] = language
        if DEFAULT_LANGUAGE not in found:
            raise ContentError(self._label(f"{DEFAULT_LANGUAGE}/meta.yaml"), "", "the file is missing")
        return dict(sorted(found.items(), key=lambda item: item[0] != DEFAULT_LANGUAGE))

    def language(self, lang: str | None) -> str:
        """``lang`` when Within speaks it, otherwise the default language."""
        return lang if lang in self.languages() else DEFAULT_LANGUAGE

    def text(self, lang: str, key: str, **fields: Any) -> str:
        """The words for ``key`` ("file.path.to.words") in ``lang``, falling back to English.

        Named ``{fields}`` in the words are filled from keyword arguments.
        """
        name, _, path = key.partition(".")
        if not path:
            raise ContentError(self._label(f"{lang}/{name}.yaml"), key, "a key needs a file and a name")
        for candidate in dict.fromkeys((self.language(lang), DEFAULT_LANGUAGE)):
            try:
                table = self.strings(candidate, name)
            except ContentError:
                if candidate == DEFAULT_LANGUAGE:
                    raise
                continue
            words = _lookup(table, path.split("."))
            if isinstance(words, str):
                words = self._where(lang, words)
                try:
                    return words.format_map(fields) if fields else words
                except (KeyError, ValueError, IndexError) as error:
                    raise ContentError(
                        self._label(f"{candidate}/{name}.yaml"), path, f"cannot fill in {error}"
                    ) from None
        raise ContentError(self._label(f"{DEFAULT_LANGUAGE}/{name}.yaml"), path, "no words for this key")

    def _where(self, lang: str, words: str) -> str:
        """Fill ``{where}``, ``{where_start}`` and ``{where_kept}`` with the words for this
        deployment (``privacy.<token>.<deployment>``), so no sentence claims answers stay on
        a device when a server keeps them."""
        if "{where" not in words:
            return words
        from widgets.core.settings import deployment

        for token in WHERE_TOKENS:
            marker = "{" + token + "}"
            if marker in words:
                words = words.replace(marker, self.text(lang, f"privacy.{token}.{deployment()}"))
        return words

    def registry(self) -> Registry:
        return self.load("apps.yaml", Registry)

    def registry_app(self, app_id: str) -> App:
        """One registered app by id."""
        for app in self.registry().apps:
            if app.id == app_id:
                return app
        raise ContentError(self._label("apps.yaml"), "apps", f"no app with id '{app_id}'")

    def contacts(self) -> Contacts:
        """The site's contacts with its country's national lines (numbers follow the country,
        not the page's language); a country with no shipped lines gets the plain
        "your local emergency number" line instead of a number we cannot vouch for."""
        site = self.load("local/contacts.yaml", SiteContacts)
        national = f"countries/{site.country}.yaml"
        if not (self.root / national).is_file():
            national = "countries/other.yaml"
        country = self.load(national, CountryContacts)
        for relative, listed in (("local/contacts.yaml", site.contacts), (national, country.contacts)):
            for index, contact in enumerate(listed):
                if DEFAULT_LANGUAGE not in contact.name:
                    raise ContentError(
                        self._label(relative),
                        f"contacts.{index}.name.{DEFAULT_LANGUAGE}",
                        "every contact needs an English name at least",
                    )
        own_ids = {contact.id for contact in site.contacts}
        merged = [*site.contacts, *(c for c in country.contacts if c.id not in own_ids)]
        merged.sort(key=lambda contact: CONTACT_ORDER.index(contact.kind))
        return Contacts(country=site.country, confirmed=site.confirmed, contacts=tuple(merged))

    def flow(self, lang: str, flow_id: str) -> Flow:
        """The steps of a guided flow in ``lang`` (English when not yet translated)."""
        lang = self.language(lang)
        if not (self.root / lang / "flows" / f"{flow_id}.yaml").is_file():
            lang = DEFAULT_LANGUAGE
        flow = self.load(f"{lang}/flows/{flow_id}.yaml", Flow)
        if not any("{where" in step.body for step in flow.steps):
            return flow
        steps = tuple(step.model_copy(update={"body": self._where(lang, step.body)}) for step in flow.steps)
        return flow.model_copy(update={"steps": steps})


def _check_strings(file: str, data: Mapping[str, Any], prefix: tuple[str, ...]) -> None:
    for key, value in data.items():
        path = (*prefix, str(key))
        if isinstance(value, Mapping):
            _check_strings(file, value, path)
        elif not isinstance(value, str):
            raise ContentError(file, ".".join(path), f"expected words (text), found {type(value).__name__}")


def _lookup(table: Mapping[str, Any], parts: list[str]) -> Any:
    node: Any = table
    for part in parts:
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


@functools.lru_cache(maxsize=1)
def library() -> ContentLibrary:
    """The shipped content, read once per process."""
    return ContentLibrary()


def text(lang: str, key: str, **fields: Any) -> str:
    """Shortcut for ``library().text(...)``: the words for ``key`` in ``lang``."""
    return library().text(lang, key, **fields)


def languages() -> dict[str, Language]:
    """Shortcut for ``library().languages()``."""
    return library().languages()


def contacts() -> Contacts:
    """Shortcut for ``library().contacts()``: the site's help contacts."""
    return library().contacts()
