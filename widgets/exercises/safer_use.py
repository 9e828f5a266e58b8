"""Safer-use tips for the substances people in the region use, each with its source.

Harm reduction: the tips are for whatever a person decides, and never ask them to stop.
``content/safer_use/tips.yaml`` names each tip's substance and source and whether a
harm-reduction worker has reviewed them; until then every page shows them as a draft.
The words are in ``content/<lang>/safer_use.yaml``.
"""

from __future__ import annotations

import functools
from typing import Any

import ipywidgets as w
from pydantic import BaseModel, ConfigDict, Field, model_validator

from widgets.core.content import ContentLibrary, library
from widgets.core.context import PageContext
from widgets.core.instrument import ID_PATTERN
from widgets.core.markup import plain


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    url: str = Field(pattern=r"^https://")


class Tip(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    substance: str
    source: str


class SaferUse(_Strict):
    """The language-free part: substances, sources, tips and whether they were reviewed."""

    substances: tuple[str, ...] = Field(min_length=1)
    sources: dict[str, Source]
    tips: tuple[Tip, ...] = Field(min_length=1)
    reviewed: bool = False
    reviewed_by: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> SaferUse:
        for tip in self.tips:
            if tip.substance not in self.substances:
                raise ValueError(f"tip '{tip.id}' names unknown substance '{tip.substance}'")
            if tip.source not in self.sources:
                raise ValueError(f"tip '{tip.id}' cites unknown source '{tip.source}'")
        if self.reviewed and not self.reviewed_by.strip():
            raise ValueError(
                "reviewed tips need reviewed_by (a role, such as 'peer outreach worker, Chiang Mai')"
            )
        return self


@functools.cache
def safer_use(content: ContentLibrary | None = None) -> SaferUse:
    """The shipped tips, read once per process."""
    return (content or library()).load("safer_use/tips.yaml", SaferUse)


class SaferUseTips(w.HTML):
    """The tips by substance, each with its source, marked as a draft until reviewed.

    Projected, the tips are shown one at a time (:meth:`show_part`): first the heading,
    the introduction and the draft note, then each tip on a slide of its own, under its
    substance, with its source and a short draft note, so a room reads them in type large
    enough for the back row.

    Parameters
    ----------
    context:
        The page's language and mode.
    """

    def __init__(self, *, context: PageContext | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        context = context or PageContext()
        t = context.t
        tips = safer_use()
        self.add_class("within-safer-use")
        opening = [
            f'<h3 id="within-safer-use-heading">{plain(t("safer_use.heading"))}</h3>',
            f"<p>{plain(t('safer_use.intro'))}</p>",
        ]
        if not tips.reviewed:
            opening.append(
                f'<p class="within-note" data-draft="true">{plain(t("safer_use.draft"))}</p>'
            )
        by_substance: list[tuple[str, list[str]]] = []
        for substance in tips.substances:
            rows = []
            for tip in (tip for tip in tips.tips if tip.substance == substance):
                source = tips.sources[tip.source]
                cite = t("safer_use.source", publisher=source.publisher, title=source.title)
                rows.append(
                    f"<li>{plain(t(f'safer_use.tips.{tip.id}'))}"
                    f'<br><span class="within-quiet">{plain(cite)}</span></li>'
                )
            if rows:
                by_substance.append((f"<h4>{plain(t(f'safer_use.substances.{substance}'))}</h4>", rows))
        self.pages = [self._section("".join(opening))]
        if context.projector:
            draft = "" if tips.reviewed else (
                f'<p class="within-note" data-draft="true">{plain(t("safer_use.draft_tag"))}</p>'
            )
            self.pages += [
                self._section(f"{heading}<ul>{row}</ul>{draft}")
                for heading, rows in by_substance
                for row in rows
            ]
        else:
            listed = "".join(f"{heading}<ul>{''.join(rows)}</ul>" for heading, rows in by_substance)
            self.pages = [self._section("".join(opening) + listed)]
        self.value = self.pages[0]

    @staticmethod
    def _section(html: str) -> str:
        labelled = ' aria-labelledby="within-safer-use-heading"' if "within-safer-use-heading" in html else ""
        return f'<section class="within-card within-card--help"{labelled}>{html}</section>'


    @property
    def projected_parts(self) -> int:
        """Slides on a shared screen (one on a person's own device)."""
        return len(self.pages)

    def show_part(self, part: int) -> None:
        """Show slide ``part``: the opening (0), then one tip at a time."""
        self.value = self.pages[min(max(part, 0), len(self.pages) - 1)]
