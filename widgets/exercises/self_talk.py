"""Self-critical sentences quoted on purpose: example thoughts and messages, per language.

Exercises that work with self-stigma have to name it: "I have no future", "I brought
shame to my family". These sentences live apart from the project's own words, in
``content/<lang>/quoted/self_talk.yaml`` marked ``quoted: true``, so a word-list check can
tell a deliberate quotation from careless writing. The example thoughts follow the themes
of the Thai Internalised Stigma Scale.
"""

from __future__ import annotations

import functools
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from widgets.core.content import DEFAULT_LANGUAGE, ContentError, library

FILE = "quoted/self_talk.yaml"


class SelfTalk(BaseModel):
    """The quoted sentences of one language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    quoted: Literal[True] = Field(description="Marks every sentence here as a deliberate quotation")
    thoughts: dict[str, str] = Field(min_length=1, description="Example self-critical thoughts, by id")
    messages: dict[str, str] = Field(
        min_length=1, description="Example messages people hear from others, by id"
    )


@functools.lru_cache(maxsize=8)
def self_talk(lang: str) -> SelfTalk:
    """The quoted sentences in ``lang``, English when not yet translated."""
    content = library()
    lang = content.language(lang)
    try:
        return content.load(f"{lang}/{FILE}", SelfTalk)
    except ContentError:
        if lang == DEFAULT_LANGUAGE:
            raise
        return content.load(f"{DEFAULT_LANGUAGE}/{FILE}", SelfTalk)
