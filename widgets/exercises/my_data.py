"""A person's own view of what is saved under their code, and "delete everything"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.exercises.base import Exercise

if TYPE_CHECKING:
    from widgets.exercises.participant_code import ParticipantCodePanel
    from widgets.store import Store


class MyData(Exercise):
    """What is stored under ``code``, in plain words, and a confirmed delete-everything.

    Parameters
    ----------
    store:
        The store holding the person's rows.
    code:
        The person's participant code.
    context:
        Language and mode of the page.
    code_panel:
        The page's code panel, told to forget the code once everything is deleted.
    """

    def __init__(
        self,
        store: Store,
        code: str,
        *,
        context: PageContext | None = None,
        code_panel: ParticipantCodePanel | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(context=context, **kwargs)
        self.store, self.code, self.code_panel = store, code, code_panel
        self.add_class("within-my-data")
        t = self.context.t
        safe = self.kindly
        self.summary = w.HTML()
        self.confirm = w.Checkbox(value=False, description=t("my_data.delete_confirm"), indent=False)
        self.delete_button = w.Button(description=t("my_data.delete_button"))
        self.delete_button.add_class("within-danger")
        self.delete_button.on_click(safe(lambda _b: self.delete_everything()))
        self.children = [
            self.summary,
            w.HTML(
                f"<h2>{plain(t('my_data.delete_heading'))}</h2><p>{plain(t('my_data.delete_intro'))}</p>"
                f'<p class="within-note" role="note">{plain(t("my_data.outside_reach"))}</p>'
            ),
            self.confirm,
            self.delete_button,
            self.message,
        ]
        safe(self.refresh)()

    def refresh(self) -> None:
        """Show the current counts of what is stored under the code."""
        t = self.context.t
        counts = self.store.summary(self.code)
        rows = "".join(
            f"<li>{plain(t('my_data.row', what=t(f'my_data.what.{table}'), count=count))}</li>"
            for table, count in counts.items()
            if count
        )
        self.summary.value = (
            f"<h2>{plain(t('my_data.summary_heading'))}</h2>"
            f"<p>{plain(t('my_data.summary_intro', ending=self.code[-4:]))}</p>"
            f"<ul>{rows}</ul><p>{plain(t('my_data.nothing'))}</p>"
        )

    def delete_everything(self) -> dict[str, int] | None:
        """Delete every row of the code, once the person has ticked the confirmation."""
        if not self.confirm.value:
            self.say(self.context.t("my_data.delete_needs_confirm"))
            return None
        removed = self.store.delete_participant(self.code)
        from widgets.exercises.sealing import forget

        forget(self.store, self.code)  # and the visit's key to their sealed writing
        deleted = self.context.t("my_data.deleted")
        self.confirm.value = False
        self.summary.value = ""
        self.delete_button.disabled = True
        self.say(deleted)
        if self.code_panel is not None:
            self.code_panel.forget(message=deleted)
        return removed

