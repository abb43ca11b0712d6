#!/usr/bin/env python3
"""Compare two Step Functions execution histories (GetExecutionHistory JSON),
e.g. one recorded on AWS and one from the local stack.

    aws stepfunctions get-execution-history --execution-arn ARN > aws.json
    aws --endpoint-url http://localhost:4566 stepfunctions get-execution-history \
        --execution-arn LOCAL_ARN > local.json
    python3 scripts/local-stack/compare_histories.py aws.json local.json

Ids, timestamps and generated values (request ids, task tokens) differ
between engines, and branches of a Parallel or Map interleave differently on
every run, on AWS too. So each event is reduced to what must match: its type,
the state it belongs to (found by following previousEventId back to a
*StateEntered event) and the type of the event it points at, and the two
histories are compared as multisets of those. Exit status 0 when they match.
"""

from __future__ import annotations

import json
import sys
from collections import Counter


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    return document["events"] if isinstance(document, dict) else document


def reduce(events: list[dict]) -> Counter:
    by_id = {event["id"]: event for event in events}

    def state_of(event: dict) -> str:
        current, steps = event, 0
        while current is not None and steps <= len(events):
            entered = current.get("stateEnteredEventDetails")
            if entered:
                return entered["name"]
            current, steps = by_id.get(current.get("previousEventId")), steps + 1
        return "-"

    def points_at(event: dict) -> str:
        previous = by_id.get(event.get("previousEventId"))
        return previous["type"] if previous else "-"

    return Counter((event["type"], state_of(event), points_at(event)) for event in events)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    expected, actual = reduce(load(argv[1])), reduce(load(argv[2]))
    missing, extra = expected - actual, actual - expected
    for label, difference in ((f"only in {argv[1]}", missing), (f"only in {argv[2]}", extra)):
        for (event_type, state, previous), count in sorted(difference.items()):
            print(f"{label}: {count} x {event_type} (state {state}, after {previous})")
    if not missing and not extra:
        print(f"same {sum(expected.values())} events (type, state, linked-to type)")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
