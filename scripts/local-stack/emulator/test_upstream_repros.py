"""Each bug the launcher patches is still there in stock moto 5.2.1 (no launcher).

A repro that stops reproducing after a moto upgrade means its patch (PATCHES.md) may
be dropped. `python3 upstream_repros.py [name]` prints the same, for an upstream issue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from upstream_repros import REPROS, Stock

# Two threads racing in moto: whether a given run catches the race depends on scheduling.
TIMING_DEPENDENT = {"conditional_write_race"}
DETERMINISTIC = [name for name in REPROS if name not in TIMING_DEPENDENT]


@pytest.fixture(scope="module")
def stock() -> Iterator[Stock]:
    server = Stock()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("name", DETERMINISTIC)
def test_bug_reproduces_on_stock_moto(stock: Stock, name: str) -> None:
    reproduced, seen = REPROS[name](stock)
    assert reproduced, f"{name} no longer reproduces on stock moto ({seen}): its patch may be unneeded"


def test_conditional_write_race_runs_its_rounds(stock: Stock) -> None:
    _, seen = REPROS["conditional_write_race"](stock)
    assert re.fullmatch(r"\d+ of 10 rounds let more than one conditional update take the last unit", seen), seen
