"""The browser's address and Back/Forward for moving between apps inside one page.

A visit is one Voilà page and one kernel: moving from home into an app and back swaps the
app in place (:class:`widgets.apps.shell.Shell`). This invisible control keeps the browser
honest about it. A tap on a link to another app of this page adds one history entry
(``history.pushState``) whose address is that app's own direct link, so a reload or a shared
link opens the same app; Back and Forward swap apps back in place. The entry carries the
app's id and nothing else: never the participant's code, never a step or an answer. Moving
between steps of an app adds no entry, so Back leaves the app rather than stepping back
through a person's answers.

When the kernel behind the page ends (culled, the server restarted), the page loads its own
address again: the app the person was in, with a new kernel and everything they saved. The
quick exit (the template's ``within.js``) rewinds this page's entries before it leaves, so
none of them stays reachable.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

STATIC = Path(__file__).parent / "static"


class PageHistory(anywidget.AnyWidget):
    """Links between apps become in-page moves, with one history entry each.

    Attributes
    ----------
    app:
        The app the person asked for: set by the browser (a link, Back, Forward) or by the
        kernel; the page's shell observes it and swaps apps.
    shown:
        The app the kernel is showing, set once it is built: the browser then moves focus
        to its heading, for screen readers.
    links:
        The notebooks this page may swap to, by file name (``{"welcome.ipynb": "welcome"}``):
        the page's own surface only. Any other link is left to the browser.
    """

    _esm = STATIC / "page_history.js"

    app = traitlets.Unicode("", help="The app asked for (an id in content/apps.yaml, or home)").tag(
        sync=True
    )
    shown = traitlets.Unicode("", help="The app the kernel shows, once built").tag(sync=True)
    links = traitlets.Dict(
        key_trait=traitlets.Unicode(),
        value_trait=traitlets.Unicode(),
        help="Notebook file name to app id",
    ).tag(sync=True)
