"""The benchmarks' phone profile runs end to end: ``python -m benchmarks --profile phone`` on a
small subset (one visit per figure, one app walked) prints the README's table, every figure
filled, and the round trips it measured are at least the latency proxy's (the only timing
asserted: a lower bound the proxy itself guarantees)."""

from __future__ import annotations

import re

import pytest

from benchmarks import __main__ as bench
from benchmarks.profiles import PHONE
from benchmarks.report import rows

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(1200)]


def test_the_phone_profile_prints_every_figure_beside_stock_voila(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--profile", "phone", "--repeat", "1", "--walk", "welcome"]) == 0
    out = capsys.readouterr().out

    assert "| measure | phone: Within | phone: stock Voilà | × stock | target | met |" in out
    table = {line.split(" | ")[0].lstrip("| "): line.strip("|").split(" | ")[1:]
             for line in out.splitlines() if line.startswith("| ")}
    for row in rows("activity-3"):
        within, stock, ratio, _target, _met = (cell.strip() for cell in table[row.label])
        assert within and stock and ratio, row.label
    first = table["First visit: HTTP requests over the network (of all made)"][0]
    over_network, made = map(int, re.fullmatch(r"\s*(\d+) of (\d+)\s*", first).groups())
    assert 0 < over_network <= made

    memory = next(line for line in out.splitlines() if line.startswith("| one visitor after home and 1 light app ("))
    assert re.search(r"\| \d+ MB \| \d+ MB \| \d+\.\d\d \|", memory)

    trips = re.search(r"phone: HTTP (\d+) ms, kernel WebSocket (\d+) ms", out)
    assert trips, out
    assert int(trips[1]) >= PHONE.round_trip * 1000 and int(trips[2]) >= PHONE.round_trip * 1000
