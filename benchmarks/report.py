"""The Markdown table of :mod:`benchmarks.visits`, one column group per profile, each figure
beside stock Voilà's and beside issue 20's target for it. The README takes it as it is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from benchmarks.visits import Samples

MB = 1e6


@dataclass(frozen=True)
class Row:
    label: str
    within: str  # key in Samples
    stock: str | None  # key of the stock Voilà figure beside it
    show: Callable[[float], str]
    target: dict[str, tuple[str, Callable[[float, float | None], bool]]]  # profile -> (text, met?)


def _mb(value: float) -> str:
    return f"{value / MB:.2f} MB"


def _kb(value: float) -> str:
    return f"{value / 1e3:.0f} kB"


def _count(value: float) -> str:
    return f"{value:.0f}"


def _s(value: float) -> str:
    return f"{value:.2f} s"


def _ratio_at_most(limit: float) -> Callable[[float, float | None], bool]:
    return lambda within, stock: stock is not None and within <= limit * stock


def _at_most(limit: float) -> Callable[[float, float | None], bool]:
    return lambda within, _stock: within <= limit


def _under(limit: float) -> Callable[[float, float | None], bool]:
    return lambda within, _stock: within < limit


def rows(activity: str) -> list[Row]:
    tti = {"phone": ("≤ 0.5× stock", _ratio_at_most(0.5)), "localhost": ("≤ 1.0× stock", _ratio_at_most(1.0))}
    move = {name: ("< 0.5 s", _under(0.5)) for name in ("phone", "localhost")}
    return [
        Row("First visit: bytes", "home first bytes", "stock first bytes", _mb,
            {name: ("≤ 1.6 MB", _at_most(1.6 * MB)) for name in ("phone", "localhost")}),
        Row("First visit: HTTP requests over the network (of all made)", "home first requests", "stock first requests", _count, {}),
        Row("Return visit (reload): bytes", "home return bytes", "stock return bytes", _kb, {}),
        Row("Return visit (reload): HTTP requests over the network (of all made)", "home return requests", "stock return requests", _count,
            {name: ("≤ 5", _at_most(5)) for name in ("phone", "localhost")}),
        Row("Time to interactive, home, first visit", "home first s", "stock first s", _s, tti),
        Row(f"Time to interactive, {activity}, first visit", "activity first s", "stock first s", _s, tti),
        Row("Time to interactive, home, return visit", "home return s", "stock return s", _s, tti),
        Row(f"Home → {activity}, until its first step can be used", "move in s", "stock return s", _s, move),
        Row(f"Back from {activity}, until home can be used", "move back s", "stock return s", _s, move),
    ]


def table(results: list[Samples], activity: str) -> list[str]:
    """Rows of figures (medians) against stock Voilà, one column group per profile."""
    head = ["measure"]
    for samples in results:
        name = samples.profile.name
        head += [f"{name}: Within", f"{name}: stock Voilà", "× stock", "target", "met"]
    out = ["| " + " | ".join(head) + " |", "| --- |" + " ---: | ---: | ---: | --- | :---: |" * len(results)]
    for row in rows(activity):
        cells = [row.label]
        for samples in results:
            within = samples.median(row.within)
            stock = samples.median(row.stock) if row.stock else None
            if within is None:
                cells += ["", "", "", "", ""]
                continue
            ratio = f"{within / stock:.2f}" if stock else ""
            text, met = row.target.get(samples.profile.name, ("", None))
            shown = [row.show(within), row.show(stock) if stock is not None else ""]
            if row.within.endswith(" requests"):  # "22 of 107": the rest came from the cache
                made = (samples.median(row.within[: -len("requests")] + "made"),
                        samples.median(row.stock[: -len("requests")] + "made") if row.stock else None)
                shown = [f"{cell} of {m:.0f}" if cell and m is not None else cell for cell, m in zip(shown, made, strict=True)]
            cells += [*shown, ratio, text,
                      ("✓" if met(within, stock) else "✗") if met else ""]
        out.append("| " + " | ".join(cells) + " |")
    return out


def memory_table(memory: dict[str, float]) -> list[str]:
    ratio = memory["visitor MB"] / memory["bare MB"]
    return [
        "| memory (kernel RSS) | Within | bare ipywidgets kernel (stock Voilà) | × bare | target | met |",
        "| --- | ---: | ---: | ---: | --- | :---: |",
        (f"| one visitor after home and {memory['apps']:.0f} light app{'' if memory['apps'] == 1 else 's'} "
        f"(kernels its pages used: {memory['kernels seen']:.0f}, still running: {memory['kernels']:.0f}) "
        f"| {memory['visitor MB']:.0f} MB | {memory['bare MB']:.0f} MB "
        f"| {ratio:.2f} | ≤ 1.7× | {'✓' if ratio <= 1.7 else '✗'} |"),
    ]


def round_trips(results: list[Samples]) -> str:
    parts = []
    for samples in results:
        http, ws = samples.median("http round trip ms"), samples.median("ws round trip ms")
        parts.append(f"{samples.profile.name}: HTTP {http:.0f} ms, kernel WebSocket {ws:.0f} ms")
    return ("Round trips measured through each profile (a request from the page, median of 5; "
            "a kernel_info request and its reply, median of 6): " + "; ".join(parts))
