"""An outreach screening, as trained staff run it: consent, a code, the scale, the result.

Staff screen many people on one device, so nothing about one person stays on screen or
on the device for the next: the code is never remembered by the browser, and "Start
with the next person" clears everything. The site's running tally shows counts only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from widgets.core.codes import CodeError, new_code, normalise
from widgets.core.context import PageContext
from widgets.core.markup import plain
from widgets.core.risk_screen import risk_check_reasons
from widgets.core.scoring import Result
from widgets.exercises.kind_errors import kindly
from widgets.exercises.risk_check import RiskCheck
from widgets.exercises.scale_form import ScaleForm

if TYPE_CHECKING:
    from widgets.store import Store

#: ``exporter(store, folder, instrument_id=...)``: writes files, returns what it wrote.
Exporter = Callable[..., Any]
SCREENING_CONSENT = "screening"
RESEARCH_CONSENT = "research-export"
CONSENT_TEXT_VERSION = "screening-script-1"


class ScreeningSession(w.VBox):
    """One person's screening at a time, for outreach staff.

    Parameters
    ----------
    store:
        Where consent, answers and results are kept.
    instrument:
        The instrument to administer (the Thai Internalised Stigma Scale by default).
    context:
        Language of the words on screen (the scale is shown in this language).
    export_dir:
        Where "Export" writes files; the data folder's ``exports`` by default.
    exporter:
        ``exporter(store, folder, instrument_id=...)`` writes the consented export (the
        research layer's :func:`~widgets.research.export.export_submissions`, passed in by
        the app so facilitation does not depend on research); without one, no export button.
    """

    def __init__(
        self,
        store: Store,
        *,
        instrument: str = "thai-internalised-stigma",
        context: PageContext | None = None,
        export_dir: Any = None,
        exporter: Exporter | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.store, self.instrument_id = store, instrument
        self.context = context or PageContext()
        self.export_dir = export_dir
        self.exporter = exporter
        self.add_class("within-screening")
        t = self.context.t
        safe = kindly(self.context.lang, self._say)
        self.consent = w.Checkbox(value=False, description=t("screening.consent_yes"), indent=False)
        self.research = w.Checkbox(value=False, description=t("screening.consent_research"), indent=False)
        self.new_code_button = w.Button(description=t("screening.code_new"), button_style="primary")
        self.code_entry = w.Text(description=t("screening.code_label"), placeholder=t("common.code.placeholder"))
        self.use_code_button = w.Button(description=t("screening.code_use"))
        self.how = w.ToggleButtons(
            options=[(t("screening.how_read_aloud"), "read-aloud"), (t("screening.how_self"), "self")],
            value="read-aloud",
        )
        self.how.add_class("within-choice-buttons")
        self.start_button = w.Button(description=t("screening.start"), button_style="primary")
        self.next_person_button = w.Button(description=t("screening.next_person"))
        self.export_button = w.Button(description=t("screening.export_button"))
        self.code_view = w.HTML()
        self.message = w.HTML()
        self.tally_view = w.HTML()
        self.export_view = w.HTML()
        self.form_slot = w.VBox()
        self.new_code_button.on_click(safe(lambda _b: self.use_code(new_code(), fresh=True)))
        self.use_code_button.on_click(safe(lambda _b: self.use_code(self.code_entry.value)))
        self.start_button.on_click(safe(lambda _b: self.start()))
        self.next_person_button.on_click(safe(lambda _b: self.next_person()))
        self.export_button.on_click(safe(lambda _b: self.export()))
        self.code = ""
        self.form: ScaleForm | None = None
        self.risk_check: RiskCheck | None = None
        self.next_person()

    # -- actions ----------------------------------------------------------------------

    def use_code(self, typed: str, *, fresh: bool = False) -> bool:
        """Screen under ``typed`` (a new code is shown large so staff can copy it out)."""
        t = self.context.t
        try:
            self.code = normalise(typed)
        except CodeError as error:
            self._say(t(f"common.code.errors.{error.reason}"))
            return False
        shown = f'<p class="within-code">{plain(self.code)}</p><p>{plain(t("screening.code_show"))}</p>' if fresh else ""
        self.code_view.value = f"{shown}<p>{plain(t('screening.code_ready', code=self.code))}</p>"
        self.message.value = ""
        return True

    def start(self) -> ScaleForm | None:
        """Record consent and open the scale, once there is consent and a code."""
        t = self.context.t
        if not self.consent.value:
            self._say(t("screening.consent_needed"))
            return None
        if not self.code and not self.use_code(self.code_entry.value):
            return None
        self.store.record_consent(self.code, SCREENING_CONSENT, CONSENT_TEXT_VERSION, given=True)
        self.store.record_consent(self.code, RESEARCH_CONSENT, CONSENT_TEXT_VERSION, given=bool(self.research.value))
        self.form = ScaleForm(
            self.instrument_id,
            context=self.context,
            one_per_screen=True,
            setting="staff",
            store=self.store,
            code=self.code,
            administered=self.how.value,
            on_submit=self._submitted,
        )
        self.form_slot.children = [w.HTML(f"<p>{plain(t('screening.code_ready', code=self.code))}</p>"), self.form]
        self.message.value = ""
        self._layout(screening=True)
        return self.form

    def next_person(self) -> None:
        """Clear everything about the last person."""
        self.code = ""
        self.form = None
        self.risk_check = None
        self.consent.value = self.research.value = False
        self.code_entry.value = ""
        self.code_view.value = self.message.value = self.export_view.value = ""
        self.how.value = "read-aloud"
        self.form_slot.children = ()
        self._layout(screening=False)
        self.refresh_tally()

    def refresh_tally(self) -> None:
        """Show the site's running count (people screened, 16 or more, 20 or more)."""
        t = self.context.t
        tally = self.store.tally(self.instrument_id)
        self.tally_view.value = (
            f"<h2>{plain(t('screening.tally_heading'))}</h2><ul>"
            f"<li>{plain(t('screening.tally_screened', count=tally.screened))}</li>"
            f"<li>{plain(t('screening.tally_flagged', count=tally.flagged))}</li>"
            f"<li>{plain(t('screening.tally_referral', count=tally.referral))}</li></ul>"
        )

    def export(self) -> list[str]:
        """Write the consented submissions and a codebook for reports."""
        from widgets.core import settings

        if self.exporter is None:
            return []
        t = self.context.t
        folder = self.export_dir or settings.data_dir() / "exports"
        exported = self.exporter(self.store, folder, instrument_id=self.instrument_id)
        if not exported.rows:
            self.export_view.value = f"<p>{plain(t('screening.export_empty'))}</p>"
            return []
        names = ", ".join(path.name for path in exported.paths)
        self.export_view.value = f"<p>{plain(t('screening.export_done', folder=str(folder), files=names))}</p>"
        return [str(path) for path in exported.paths]

    # -- drawing ----------------------------------------------------------------------

    def _submitted(self, result: Result) -> None:
        self.refresh_tally()
        extra: list[w.Widget] = []
        trigger = self.form.instrument.spec.risk_check if self.form else None
        # Safety follows the risk (sentence 6), not only the score.
        if trigger is not None and (reasons := risk_check_reasons(self.form.instrument, result)):
            self.risk_check = RiskCheck(
                trigger.screen, reasons=reasons, context=self.context, store=self.store, code=self.code
            )
            extra.append(self.risk_check)
        self.form_slot.children = [*self.form_slot.children, *extra, self.next_person_button]

    def _layout(self, *, screening: bool) -> None:
        t = self.context.t
        if screening:
            self.children = [self.form_slot, self.message]
            return
        self.children = [
            w.HTML(f"<p>{plain(t('screening.intro'))}</p>"),
            w.HTML(f"<h2>{plain(t('screening.consent_heading'))}</h2><p>{plain(t('screening.consent_script'))}</p>"),
            self.consent,
            self.research,
            w.HTML(f"<h2>{plain(t('screening.code_heading'))}</h2>"),
            self.new_code_button,
            self.code_entry,
            self.use_code_button,
            self.code_view,
            w.HTML(f"<h2>{plain(t('screening.how_heading'))}</h2>"),
            self.how,
            self.message,
            self.start_button,
            self.tally_view,
        ]
        if self.exporter is not None:
            self.children = [
                *self.children,
                w.HTML(
                    f"<h2>{plain(t('screening.export_heading'))}</h2>"
                    f'<p class="within-quiet">{plain(t("screening.export_outside_reach"))}</p>'
                ),
                self.export_button,
                self.export_view,
            ]

    def _say(self, message: str) -> None:
        self.message.value = f'<p class="within-note within-note--problem" role="alert">{plain(message)}</p>'
