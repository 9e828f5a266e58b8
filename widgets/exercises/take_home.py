"""The take-home card: a person's top values, life direction and goal, to print or keep.

Made on the device: a printable HTML page and a PNG picture, both offered as download
links (``data:`` addresses), so nothing is sent anywhere. Everything a person typed is
escaped in the page and drawn as plain text (never mathtext) in the picture.

Run ``python -m widgets.exercises.take_home docs/examples`` to write example cards from made-up data.
"""

from __future__ import annotations

import base64
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from widgets.controls.card_styles import CardStyles
from widgets.core.content import text
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.core.palette import colour
from widgets.exercises.print_page import page

if TYPE_CHECKING:
    from widgets.store import Store

GOAL_ROWS: tuple[str, ...] = ("goal", "step", "when", "obstacle", "plan", "support")


@dataclass
class CardData:
    """What goes on a card: value names, the direction sentence and the goal's fields."""

    values: list[str] = field(default_factory=list)
    direction: str = ""
    goal: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.values or self.direction or any(self.goal.get(k) for k in GOAL_ROWS))


def card_from_store(store: Store, code: str, lang: str) -> CardData:
    """The card of ``code``: their latest top values, direction and first goal."""
    from widgets.exercises.goal_card import saved_goals
    from widgets.exercises.values_cards import latest_sort, value_cards

    names = {card.id: card.name for card in value_cards(lang)}
    sort = latest_sort(store, code)
    goals = saved_goals(store, code)
    goal = next(iter(goals.values()), {})
    return CardData(
        values=[names[c] for c in sort.get("top", []) if c in names],
        direction=str(sort.get("direction", "")),
        goal={k: str(goal.get(k, "")) for k in GOAL_ROWS},
    )


def _sections(card: CardData, lang: str) -> list[tuple[str, str]]:
    t = lambda key: text(lang, f"take_home.{key}")
    rows = []
    if card.values:
        rows.append((t("values"), ", ".join(card.values)))
    if card.direction:
        rows.append((t("direction"), card.direction))
    rows += [(t(key), card.goal[key]) for key in GOAL_ROWS if card.goal.get(key, "").strip()]
    return rows


def card_html(card: CardData, lang: str) -> str:
    """A whole printable HTML page for the card (A5, the shared print styles, all escaped)."""
    body = "".join(f"<h2>{plain(h)}</h2><p>{plain(v)}</p>" for h, v in _sections(card, lang))
    title = text(lang, "take_home.title")
    return page(
        lang,
        title,
        f'<main class="card"><h1>{plain(title)}</h1>{body}'
        f'<p class="footer">{plain(text(lang, "take_home.footer"))}</p></main>',
    )


# Thai characters a line may not start with (vowels and marks that follow a consonant)
# or end with (vowels written before their consonant).
_NO_BREAK_BEFORE = set("\u0e30\u0e32\u0e33\u0e45\u0e46")
_NO_BREAK_AFTER = set("\u0e40\u0e41\u0e42\u0e43\u0e44")


def _can_break(before: str, after: str) -> bool:
    import unicodedata

    if unicodedata.category(after) == "Mn" or after in _NO_BREAK_BEFORE:
        return False
    return before[-1:] not in _NO_BREAK_AFTER


def _wrap(words: str, width_px: float, measure: Any) -> list[str]:
    """Break text into lines no wider than ``width_px``: at spaces, else between characters.

    Thai has no spaces between words, so long runs are broken between characters, never
    before a mark or following vowel nor after a leading vowel (a simple rule, not a
    dictionary: lines may break inside a word, but letters always stay whole).
    """
    lines: list[str] = []
    for paragraph in words.splitlines() or [""]:
        line = ""
        for token in paragraph.split(" "):
            candidate = f"{line} {token}" if line else token
            if measure(candidate) <= width_px:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for char in token:
                if line and _can_break(line, char) and measure(line + char) > width_px:
                    lines.append(line)
                    line = ""
                line += char
        lines.append(line)
    return lines


def card_png(card: CardData, lang: str, dpi: int = 150) -> bytes:
    """The card as a PNG picture (Sarabun, Thai shaped, typed text never read as maths)."""
    import matplotlib

    from widgets.exercises.chart_fonts import chart_rc, drawable, new_figure, png_bytes

    width_in, margin = 4.0, 0.25
    with matplotlib.rc_context(chart_rc(lang)):
        probe = new_figure(lang, figsize=(width_in, 1), dpi=dpi)
        renderer = probe.canvas.get_renderer()
        from matplotlib.font_manager import FontProperties

        fonts = {
            "title": FontProperties(size=15, weight="bold"),
            "head": FontProperties(size=10, weight="bold"),
            "body": FontProperties(size=11),
        }

        def measure_with(prop: Any) -> Any:
            return lambda s: renderer.get_text_width_height_descent(s, prop, ismath=False)[0]

        usable = (width_in - 2 * margin - 0.1) * dpi
        blocks: list[tuple[str, str]] = [("title", text(lang, "take_home.title"))]
        for heading, value in _sections(card, lang):
            blocks.append(("head", heading))
            lines = _wrap(drawable(value), usable, measure_with(fonts["body"]))
            blocks += [("body", line) for line in lines]
        blocks.append(("foot", text(lang, "take_home.footer")))
        step = {"title": 0.42, "head": 0.36, "body": 0.27, "foot": 0.42}
        height = 0.6 + sum(step[kind] for kind, _ in blocks)
        figure = new_figure(lang, figsize=(width_in, height), dpi=dpi)
        figure.patch.set_facecolor(colour("surface"))
        from matplotlib.patches import FancyBboxPatch

        figure.add_artist(
            FancyBboxPatch(
                (0.03, 0.02),
                0.94,
                0.96,
                boxstyle="round,pad=0,rounding_size=0.03",
                transform=figure.transFigure,
                fill=False,
                edgecolor=colour("accent"),
                linewidth=2.5,
            )
        )
        y = height - 0.35
        for kind, words in blocks:
            style = {
                "title": {"fontproperties": fonts["title"], "color": colour("accent")},
                "head": {"fontproperties": fonts["head"], "color": colour("muted")},
                "body": {"fontproperties": fonts["body"], "color": colour("text")},
                "foot": {
                    "fontproperties": FontProperties(size=10, style="italic"),
                    "color": colour("muted"),
                },
            }[kind]
            if kind == "head":
                y -= 0.08
            elif kind == "foot":
                y -= 0.1
            figure.text(
                margin / width_in,
                y / height,
                words,
                va="top",
                ha="left",
                parse_math=False,
                usetex=False,
                gid=f"card-{kind}",
                **style,
            )
            y -= step[kind] - (0.08 if kind == "head" else 0)
        return png_bytes(figure, lang, dpi=dpi)


def _data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


class TakeHomeCard(w.VBox):
    """The person's card as a picture, with links to save it as a page or a picture.

    Parameters
    ----------
    store, code:
        Where the values and goal are read from (see :func:`card_from_store`).
    card:
        Or the card's contents directly, e.g. in JupyterLab.
    context:
        Language and mode; nothing personal is shown on a projector.
    draw_now:
        Draw the card at once (True), or wait for :meth:`refresh`, so a guided flow
        loads matplotlib only when the card's step is reached.
    """

    def __init__(
        self,
        *,
        store: Store | None = None,
        code: str = "",
        card: CardData | None = None,
        context: PageContext | None = None,
        draw_now: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.context = context or PageContext()
        self.store, self.code, self.card = store, code, card
        self.add_class("within-cards")
        self.add_class("within-card-preview")
        t = self.context.t
        self.view = w.HTML()
        self.refresh_button = w.Button(description=t("take_home.refresh"))
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.children = [
            CardStyles(),
            w.HTML(f"<h3>{plain(t('take_home.heading'))}</h3><p>{plain(t('take_home.intro'))}</p>"),
            self.view,
            self.refresh_button,
        ]
        if self.context.projector:
            self.children = [w.HTML(f"<p>{plain(t('common.projector_unavailable'))}</p>")]
            return
        if draw_now:
            self.refresh()

    def current(self) -> CardData:
        """The card's contents now (read again from the store when there is one)."""
        if self.store is not None and self.code:
            return card_from_store(self.store, self.code, self.context.lang)
        return self.card or CardData()

    def refresh(self) -> None:
        """Draw the card again from the latest values and goal."""
        t, lang = self.context.t, self.context.lang
        card = self.current()
        if card.empty:
            self.view.value = f'<p class="within-note">{plain(t("take_home.empty"))}</p>'
            return
        png = card_png(card, lang)
        page = card_html(card, lang).encode("utf-8")
        summary = "; ".join(f"{h}: {v}" for h, v in _sections(card, lang))
        self.view.value = (
            f'<img src="{_data_url("image/png", png)}" alt="{plain(t("take_home.picture_alt", summary=summary))}">'
            f'<p><a class="within-download" download="my-card-{lang}.html" '
            f'href="{_data_url("text/html;charset=utf-8", page)}">{plain(t("take_home.download_page"))}</a>'
            f'<a class="within-download" download="my-card-{lang}.png" href="{_data_url("image/png", png)}">'
            f"{plain(t('take_home.download_picture'))}</a></p>"
        )


EXAMPLES = {
    "en": CardData(
        values=["Family", "Health", "Kindness to myself"],
        direction="I want to be there for my daughter and feel at home in my body again.",
        goal={
            "goal": "Rebuild my relationship with my sister",
            "step": "Send her a message on Sunday",
            "when": "Sunday afternoon, after lunch",
            "obstacle": "I might feel ashamed and put it off",
            "plan": "Write two lines only, and ask my outreach worker to sit with me",
            "support": "My outreach worker; a friend from the group",
        },
    ),
    "th": CardData(
        values=["ครอบครัว", "สุขภาพ", "ใจดีกับตัวเอง"],
        direction="ฉันอยากอยู่เคียงข้างลูกสาว และรู้สึกสบายใจกับร่างกายของตัวเองอีกครั้ง",
        goal={
            "goal": "ฟื้นฟูความสัมพันธ์กับพี่สาว",
            "step": "ส่งข้อความหาพี่สาววันอาทิตย์",
            "when": "บ่ายวันอาทิตย์ หลังกินข้าวเที่ยง",
            "obstacle": "ฉันอาจรู้สึกอายแล้วผัดไปก่อน",
            "plan": "เขียนแค่สองบรรทัด และชวนเจ้าหน้าที่ภาคสนามมานั่งด้วย",
            "support": "เจ้าหน้าที่ภาคสนาม เพื่อนจากกลุ่ม",
        },
    ),
}


def write_examples(folder: Path) -> list[Path]:
    """Write example cards (made-up data) as ``take-home-card-<lang>.png`` and ``.html``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for lang, card in EXAMPLES.items():
        png = folder / f"take-home-card-{lang}.png"
        png.write_bytes(card_png(card, lang))
        page = folder / f"take-home-card-{lang}.html"
        page.write_text(card_html(card, lang), encoding="utf-8")
        written += [png, page]
    return written


if __name__ == "__main__":  # pragma: no cover
    for path in write_examples(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/examples")):
        print(path)
