"""For staff: how much of each translation a native speaker has checked, and where the
drafts are, so nobody mistakes a draft for reviewed words (``within translations``)."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from widgets.core.content import DEFAULT_LANGUAGE, languages
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.core.translations import summary

#: Files listed by name; the rest are counted together, to keep the page short.
SHOWN_FILES = 8


class TranslationStatus(w.HTML):
    """Reviewed and draft counts per translation, with the files that hold most drafts.

    Parameters
    ----------
    context:
        The page's language (the words); every translation is listed.
    """

    def __init__(self, *, context: PageContext | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        context = context or PageContext()
        t = context.t
        self.add_class("within-translation-status")
        parts = [f"<h3>{plain(t('translations.heading'))}</h3>"]
        for code, language in languages().items():
            if code == DEFAULT_LANGUAGE:
                continue
            counts = summary(code)
            files = sorted(counts["not_reviewed_by_file"].items(), key=lambda item: -item[1])
            rows = "".join(
                f"<li><code>{plain(name)}</code>: {plain(t('translations.drafts', count=count))}</li>"
                for name, count in files[:SHOWN_FILES]
            )
            rest = sum(count for _name, count in files[SHOWN_FILES:])
            if rest:
                rows += f"<li>{plain(t('translations.others', count=rest))}</li>"
            parts.append(
                f"<p><strong>{plain(language.name)}</strong>: "
                f"{plain(t('translations.reviewed', reviewed=counts['reviewed'], total=counts['total']))}</p>"
                f"<ul>{rows}</ul>"
            )
        parts.append(f'<p class="within-quiet">{plain(t("translations.how"))}</p>')
        self.value = "".join(parts)
