"""How fast Within feels on a phone and on this machine, beside a stock Voilà notebook.

    .venv/bin/python -m benchmarks [--profile localhost|phone|both] [--repeat 3] [--per-app]

Never part of the tests' pass/fail; docs/performance.md says what each figure means. Starts
Within's server (as ``within serve`` runs it, with throwaway data) and a stock
``voila benchmarks/bare.ipynb`` (one button, one label, Voilà's defaults), and prints a Markdown
table, one column group per profile (:mod:`benchmarks.profiles`), each figure beside stock
Voilà's and issue 20's target (:mod:`benchmarks.visits`, :mod:`benchmarks.report`):

- bytes and HTTP requests of a first visit and of a return visit;
- time to interactive of home and of an activity; moving from home into it and back;
- memory of one visitor's kernels after home and five apps, against a bare ipywidgets kernel;
- the round trips measured through each profile (the phone's latency proxy, checked).

``--per-app`` adds the localhost tables: every app's time to interactive, click-to-update and
kernel USS against ``bare.ipynb`` served by Within's own server (preheated like the page when
the page is preheated) and ``bare_charts.ipynb`` (pandas and matplotlib); N participants at once
(concurrent HTTP clients doing what a browser does); the import time of ``widgets``; scoring
100 000 CSV rows and ``Store.tally`` over 100 000 stored questionnaires.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

import psutil

from benchmarks.profiles import PROFILES
from benchmarks.report import memory_table, round_trips, table
from benchmarks.servers import Server, StockVoila, ask_kernel_info
from benchmarks.visits import WALK, chromium, load, measure, memory
from widgets.core import surfaces
from widgets.server import app as within_server

BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
LIGHT = {"home", "screening", "group-room", "self-check", "welcome"}
PREHEATED = (
    {Path(page).stem for page in within_server.PREHEATED_PAGES}
    if within_server.preheat_kernels()
    else set()
)
# One definition of "Voilà has drawn the page", shared with the browser tests.
RENDERED_JS = (ROOT / "tests/js/voila-rendered.js").read_text(encoding="utf-8")
CLICK_JS = """() => new Promise(resolve => {
  const root = document.getElementById('rendered_cells');
  const button = [...root.querySelectorAll('button')].find(b => !b.disabled && b.offsetParent);
  if (!button) { resolve(null); return; }
  const observer = new MutationObserver(() => { observer.disconnect(); resolve(performance.now() - t0); });
  observer.observe(root, {subtree: true, childList: true, characterData: true});
  const t0 = performance.now();
  button.click();
  setTimeout(() => { observer.disconnect(); resolve(null); }, 10000);
})"""


def apps() -> list[str]:
    """Home and every app ``within serve`` serves (the participant surface)."""
    names = ["home"] + [Path(app.notebook).stem for app in surfaces.apps_on("participant")]
    return list(dict.fromkeys(names))


# --- measurements -------------------------------------------------------------------------


def browser_timings(server: Server, names: list[str], repeat: int) -> dict[str, dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("WITHIN_CHROMIUM") or "/usr/bin/chromium"
    results: dict[str, dict[str, list[float]]] = {n: {"tti": [], "click": []} for n in names}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )

        def visit(name: str) -> tuple[float, float | None]:
            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(server.url(name), wait_until="commit", timeout=180_000)
            page.wait_for_function(RENDERED_JS, timeout=180_000, polling=50)
            tti = time.perf_counter() - start
            page.wait_for_timeout(300)  # let the widgets settle
            click = page.evaluate(CLICK_JS)
            page.close(run_before_unload=True)
            context.close()
            return tti, click

        visit("bare")  # warm-up: first imports, page caches
        visit("home")
        for _ in range(repeat):
            for name in names:  # interleaved, so drift hits every page alike
                tti, click = visit(name)
                results[name]["tti"].append(tti)
                if click is not None:
                    results[name]["click"].append(click / 1000)
        browser.close()
    return {
        name: {
            "tti": statistics.median(r["tti"]),
            "click": statistics.median(r["click"]) if r["click"] else None,
        }
        for name, r in results.items()
    }


def kernel_memory(server: Server, name: str) -> tuple[float, bool]:
    """(USS in MB of the kernel behind one visit, whether it loaded matplotlib)."""
    _page, kernel = server.render(name)
    time.sleep(1.0)
    process = server.kernel_process(kernel)  # a fresh one, or one taken from a pool
    if process is None:
        return float("nan"), False
    uss = process.memory_full_info().uss / 2**20
    maps = Path(f"/proc/{process.pid}/maps").read_text(errors="replace")
    server.shutdown(kernel)
    return uss, "matplotlib" in maps


async def participants(server: Server, name: str, count: int) -> dict[str, Any]:
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    AsyncHTTPClient.configure(None, max_clients=count * 2)
    client = AsyncHTTPClient()
    times: list[float] = []
    failures: list[str] = []

    async def one() -> None:
        start = time.perf_counter()
        try:
            response = await client.fetch(server.url(name), request_timeout=180)
            page = response.body.decode("utf-8", "replace")
            cookie = response.headers.get_list("Set-Cookie")
            if "There was an error when executing cell" in page:
                raise RuntimeError("a cell raised")
            kernel = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page).group(1)
            times.append(time.perf_counter() - start)
            ws = await websocket_connect(
                f"ws://127.0.0.1:{server.port}/api/kernels/{kernel}/channels?session_id={uuid.uuid4()}"
            )
            await ask_kernel_info(ws)
            ws.close()
            xsrf = next((c.split("=", 1)[1].split(";")[0] for c in cookie if c.startswith("_xsrf=")), "")
            await client.fetch(HTTPRequest(
                f"{server.base}/voila/api/shutdown/{kernel}", method="POST", body="",
                headers={"Cookie": f"_xsrf={xsrf}", "X-XSRFToken": xsrf}), raise_error=False)
        except Exception as error:  # noqa: BLE001 - a failure is a result here
            failures.append(f"{type(error).__name__}: {error}")

    await asyncio.gather(*(one() for _ in range(count)))
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))] if times else float("nan")
    return {"p50": statistics.median(times) if times else float("nan"), "p95": p95,
            "failures": len(failures), "examples": failures[:3]}


def import_time() -> tuple[float, float]:
    def run(code: str) -> float:
        samples = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([PYTHON, "-c", code], check=True, cwd=ROOT)
            samples.append(time.perf_counter() - start)
        return statistics.median(samples)

    empty = run("pass")
    return run("import widgets") - empty, run("import widgets.apps.home") - empty


def scoring(folder: Path, rows: int = 100_000) -> tuple[float, float]:
    from sqlalchemy import insert

    from widgets.core.instrument import instrument
    from widgets.core.scoring import score
    from widgets.store import Store
    from widgets.store.tables import PARTICIPANTS, SUBMISSIONS

    scale = instrument("thai-internalised-stigma")
    rng = random.Random(8)
    csv = folder / "answers.csv"
    lines = ["code," + ",".join(scale.item_ids)]
    lines += [f"P{n:06d}," + ",".join(str(rng.randint(0, 3)) for _ in scale.item_ids) for n in range(rows)]
    csv.write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    subprocess.run([str(Path(PYTHON).with_name("within")), "score", "--instrument", scale.id,
                    "--summary", str(csv)], check=True, cwd=folder, stdout=subprocess.DEVNULL,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    score_s = time.perf_counter() - start

    store = Store(f"sqlite:///{folder / 'tally.sqlite3'}")
    store.migrate()
    today = date.today()
    people, submissions = [], []
    for n in range(rows):
        answers = {item: rng.randint(0, 3) for item in scale.item_ids}
        result = score(scale, answers)
        code = f"P{n % (rows // 2):06d}"
        if n < rows // 2:
            people.append({"code": code, "created_on": today})
        submissions.append({
            "code": code, "instrument_id": scale.id, "instrument_version": result.instrument_version,
            "language": "th", "administered": "self", "answers": answers, "total": result.total,
            "band": result.band.id if result.band else None, "at_least": result.at_least,
            "flagged": result.flagged, "referral": result.referral, "submitted_on": today,
        })
    with store._engine.begin() as connection:
        connection.execute(insert(PARTICIPANTS), people)
        connection.execute(insert(SUBMISSIONS), submissions)
    store.tally(scale.id)  # warm the page cache, as on a server that has been running
    start = time.perf_counter()
    tally = store.tally(scale.id)
    tally_s = time.perf_counter() - start
    assert tally.screened == rows // 2
    store.close()
    return score_s, tally_s


# --- the table ------------------------------------------------------------------------------


def per_app(args: argparse.Namespace, server: Server, folder: Path) -> list[str]:
    """The per-app tables on localhost: every app against the bare notebook served by Within's
    own server, N participants at once, import and scoring times."""
    names = args.apps or apps()
    out: list[str] = []
    if not args.skip_browser:
        timings = browser_timings(server, ["bare", "bare-preheated", *names], args.repeat)
        base = timings.pop("bare")
        base_preheated = timings.pop("bare-preheated")
    bare_mem, _ = kernel_memory(server, "bare")
    charts_mem, _ = kernel_memory(server, "bare_charts")
    out.append(
        "| app | time to interactive (s) | ×bare | click-to-update (ms) | ×bare "
        "| kernel USS (MB) | ×bare ipywidgets | ×pandas+mpl | target met |"
    )
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    if not args.skip_browser:
        out.append(f"| bare notebook | {base['tti']:.2f} | 1.00 | {base['click'] * 1000:.0f} | 1.00 "
                   f"| {bare_mem:.0f} | 1.00 | {bare_mem / charts_mem:.2f} | |")
        hot = base_preheated
        out.append(f"| bare notebook, preheated | {hot['tti']:.2f} | 1.00 | "
                   f"{hot['click'] * 1000:.0f} | 1.00 | | | | |")
    out.append(f"| bare + pandas + matplotlib | | | | | {charts_mem:.0f} | "
               f"{charts_mem / bare_mem:.2f} | 1.00 | |")
    for name in names:
        mem, charts = kernel_memory(server, name)
        mem_ratio = mem / (charts_mem if charts else bare_mem)
        met = [f"mem {'≤' if mem_ratio <= 1.3 else '>'}1.3×{'charts' if charts else 'bare'}"]
        if args.skip_browser:
            out.append(f"| {name} | | | | | {mem:.0f} | {mem / bare_mem:.2f} | "
                       f"{mem / charts_mem:.2f} | {', '.join(met)} |")
            continue
        t = timings[name]
        bare = base_preheated if name in PREHEATED else base
        tti_ratio = t["tti"] / bare["tti"]
        click_ratio = t["click"] / bare["click"] if t["click"] else None
        met.insert(0, f"TTI {'✓' if tti_ratio <= 1.2 else '✗'}")
        met.insert(1, "click n/a" if click_ratio is None else f"click {'✓' if click_ratio <= 1.2 else '✗'}")
        click = "n/a" if t["click"] is None else f"{t['click'] * 1000:.0f}"
        label = f"{name} (preheated)" if name in PREHEATED else name
        out.append(
            f"| {label} | {t['tti']:.2f} | {tti_ratio:.2f} | {click} | "
            f"{'n/a' if click_ratio is None else f'{click_ratio:.2f}'} | {mem:.0f} | "
            f"{mem / bare_mem:.2f} | {mem / charts_mem:.2f} | {', '.join(met)} |"
        )
    out.append("")
    out.append("| participants at once | page | p50 (s) | p95 (s) | failures |")
    out.append("| ---: | --- | ---: | ---: | ---: |")
    for count in args.participants:
        for name in ("bare", "home"):
            r = asyncio.run(participants(server, name, count))
            time.sleep(3)  # let the shutdowns finish before the next wave
            out.append(f"| {count} | {name} | {r['p50']:.2f} | {r['p95']:.2f} | {r['failures']} |")
            if r["examples"]:
                out.append(f"|  |  |  |  | {'; '.join(r['examples'])} |")
    leftover = len(server.kernels())
    out.append("")
    pooled = len(PREHEATED) + 1  # and bare-preheated
    out.append(f"Kernels still running after every visitor left: {leftover} "
               f"(the pools keep {pooled} ready)")
    package_s, home_s = import_time()
    out.append(f"Import time of `widgets`: {package_s:.2f} s; of `widgets.apps.home` (the home "
               f"page's import): {home_s:.2f} s")
    score_s, tally_s = scoring(folder)
    out.append(f"`within score --summary` on 100 000 CSV rows: {score_s:.2f} s; "
               f"`Store.tally` over 100 000 stored questionnaires (SQLite): {tally_s * 1000:.0f} ms")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=[*PROFILES, "both"], default="both",
                        help="how the visits are slowed (default: both, side by side)")
    parser.add_argument("--repeat", type=int, default=3, help="visits per figure (medians)")
    parser.add_argument("--activity", default="activity-3", help="the activity timed beside home")
    parser.add_argument("--walk", nargs="+", default=list(WALK),
                        help="the apps a visitor opens from home before their kernels' memory is read")
    parser.add_argument("--per-app", action="store_true",
                        help="also every app's own figures on localhost, participants at once, import and scoring")
    parser.add_argument("--participants", type=int, nargs="+", default=[10, 30], help="with --per-app")
    parser.add_argument("--skip-browser", action="store_true", help="with --per-app: memory only")
    parser.add_argument("--apps", nargs="*", help="with --per-app: only these apps (default: home and every participant app)")
    args = parser.parse_args(argv)
    profiles = list(PROFILES) if args.profile == "both" else [args.profile]

    out: list[str] = []
    with tempfile.TemporaryDirectory(prefix="within-bench-") as tmp:
        folder = Path(tmp)
        cpu = f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GB"
        started = load()
        server = Server(folder)
        stock = StockVoila(folder)
        try:
            with chromium() as browser:
                results = [measure(browser, PROFILES[name], server, stock, args.activity, args.repeat)
                           for name in profiles]
                used = memory(browser, server, stock, tuple(args.walk))
            out.append(f"Machine: {cpu}; Python {sys.version.split()[0]}; {date.today()}; load average "
                       f"{started} at the start, {load()} at the end; medians of {args.repeat} visit(s) per figure")
            out += ["", *(f"- {PROFILES[name].describe()}" for name in profiles), ""]
            out += table(results, args.activity)
            out += ["", *memory_table(used), "", round_trips(results)]
            if args.per_app:
                out += ["", *per_app(args, server, folder)]
        except Exception:
            for log in (server.log_path, stock.log_path):
                lines = log.read_text(errors="replace").splitlines()
                print(f"The last words of {log.name}:", *lines[-40:], sep="\n", file=sys.stderr)
            raise
        finally:
            server.stop()
            stock.stop()
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
