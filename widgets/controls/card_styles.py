"""The look of the value, goal, mood, ladder and take-home cards, shipped with the widgets.

An invisible anywidget carries the style sheet (``_css``), so the cards look right in
Voilà and in a plain JupyterLab notebook without touching the page template. Colours
follow the page's variables when they exist and calm fallbacks otherwise.
"""

from __future__ import annotations

import anywidget

CARD_CSS = """
.within-cards { --wc-accent: var(--within-accent, #23595a); --wc-soft: var(--within-accent-soft, #e4efed);
  --wc-line: var(--within-line-soft, #e3dbd0); --wc-muted: var(--within-muted, #574d45);
  --wc-surface: var(--within-surface, #ffffff); }
.within-cards h2, .within-cards h3 { line-height: 1.35; margin: 0.4em 0; }
.within-value-card { border: 2px solid var(--wc-accent); border-radius: 14px; padding: 16px;
  background: var(--wc-surface); min-height: 8em; }
.within-value-card__name { font-size: 1.45em; font-weight: 700; margin: 0 0 6px; }
.within-value-card__text { margin: 0; }
.within-counter { color: var(--wc-muted); margin: 0 0 6px; }
.within-pile-buttons { display: flex; flex-direction: column; gap: 8px; width: 100%; }
.within-pile-buttons .jupyter-button, .within-stack .jupyter-button { width: 100%; }
.within-piles ul, .within-plan ul, .within-history { padding-left: 1.2em; margin: 4px 0; }
.within-piles details, .within-cards details { margin: 8px 0; }
.within-piles summary, .within-cards summary { min-height: 44px; cursor: pointer; font-weight: 700;
  display: list-item; padding: 8px 0; }
.within-card-preview img { width: 100%; max-width: 480px; border: 1px solid var(--wc-line);
  border-radius: 10px; }
.within-download { display: inline-flex; align-items: center; min-height: 44px; padding: 8px 16px;
  margin: 4px 8px 4px 0; border: 2px solid var(--wc-accent); border-radius: 10px;
  color: var(--wc-accent); font-weight: 700; text-decoration: none; }
.within-download:hover { background: var(--wc-soft); }
.within-chart figure { margin: 0; }
.within-chart img { display: block; width: 100%; max-width: 560px; height: auto; }
.within-table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
.within-table th, .within-table td { border-bottom: 1px solid var(--wc-line); padding: 6px 4px;
  text-align: left; vertical-align: top; }
.within-ladder { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-direction: column-reverse;
  gap: 4px; }
.within-ladder li { border: 2px solid var(--wc-line); border-radius: 10px; padding: 6px 12px; }
.within-ladder li[aria-current] { border-color: var(--wc-accent); background: var(--wc-soft);
  font-weight: 700; }
.within-prompt { font-size: 1.2em; font-weight: 700; }
.within-navigator--projector .within-prompt, .within-projector .within-prompt { font-size: 1.4em; }
.within-deck { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; }
.within-deck li { border: 2px solid var(--wc-accent); border-radius: 10px; padding: 4px 12px; }
"""


class CardStyles(anywidget.AnyWidget):
    """An invisible widget whose only job is to bring :data:`CARD_CSS` to the page."""

    _esm = "export default { render({ el }) { el.hidden = true; } };"
    _css = CARD_CSS
