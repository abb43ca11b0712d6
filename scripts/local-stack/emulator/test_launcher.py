"""The launcher's patches, each proven by one check against a running launcher.

    python3 -m pytest scripts/local-stack/emulator            # every check
    MOTO_LAUNCHER_SKIP_PATCHES=<patch> python3 -m pytest ...  # see a patch's check fail without it

PATCHES.md names the check of each patch.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher_checks import Checks, Launcher

CHECKS = [name for name in vars(Checks) if name.startswith("check_")]


@pytest.fixture(scope="module")
def launcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Launcher, Path]]:
    mock_config_path = tmp_path_factory.mktemp("launcher") / "mock-config.json"
    mock_config_path.write_text(json.dumps({"StateMachines": {}, "MockedResponses": {}}))
    running = Launcher(str(mock_config_path))
    try:
        yield running, mock_config_path
    finally:
        running.stop()


@pytest.fixture(scope="module")
def checks(launcher: tuple[Launcher, Path]) -> Checks:
    running, mock_config_path = launcher
    checks = Checks(running.port, mock_config_path)
    checks.log_path = running.log.name
    return checks


@pytest.mark.parametrize("name", CHECKS, ids=[name.removeprefix("check_") for name in CHECKS])
def test_patch(checks: Checks, name: str) -> None:
    detail = getattr(checks, name)()
    print(detail)


def test_clean_shutdown(tmp_path: Path) -> None:
    mock_config_path = tmp_path / "mock-config.json"
    mock_config_path.write_text(json.dumps({"StateMachines": {}, "MockedResponses": {}}))
    running = Launcher(str(mock_config_path))
    assert running.stop() == 0, f"SIGTERM should end the launcher with exit code 0 (log: {running.log.name})"


def test_every_patch_has_one_number_in_patches_md() -> None:
    import re

    import moto_launcher

    rows = re.findall(r"^\| (\w+) \| `(\w+)` \|", (Path(__file__).parent / "PATCHES.md").read_text(), re.M)
    numbers = [number for number, _ in rows]
    documented = [name for _, name in rows]
    applied = [patch.__name__ for patch in moto_launcher.PATCHES] + [moto_launcher.keep_alive_request_handler.__name__]

    assert all(number.isdigit() for number in numbers), f"patch numbers are whole numbers: {numbers}"
    assert sorted(map(int, numbers)) == list(range(1, len(numbers) + 1)), "numbers run 1..N with none missing or repeated"
    assert sorted(documented) == sorted(applied), f"only in PATCHES.md: {set(documented) - set(applied)}; only applied: {set(applied) - set(documented)}"


def test_redrive_refused_fourteen_days_after_the_end() -> None:
    """RedriveExecution's 14-day window (patch 42), which a running launcher cannot age into."""
    import datetime
    import types

    import moto_launcher

    now = datetime.datetime.now(tz=datetime.timezone.utc)

    def ended(status: str, days_ago: float, sm_type: str = "STANDARD") -> types.SimpleNamespace:
        return types.SimpleNamespace(sm_type=sm_type, status=status, stop_date=now - datetime.timedelta(days=days_ago))

    assert moto_launcher._not_redrivable_reason(ended("FAILED", 13.9)) is None
    assert moto_launcher._not_redrivable_reason(ended("TIMED_OUT", 1)) is None
    assert moto_launcher._not_redrivable_reason(ended("FAILED", 14.1)) == "Execution redrivable period exceeded."
    assert moto_launcher._not_redrivable_reason(ended("SUCCEEDED", 1)) == "Execution is SUCCEEDED and cannot be redriven."
    assert moto_launcher._not_redrivable_reason(ended("FAILED", 1, "EXPRESS")) is not None


def test_execution_running_from_its_creation() -> None:
    """An execution StartExecution has stored but not yet started lists as RUNNING
    (patch 43), not as a 500; no request can be timed into that window from outside."""
    import datetime
    import types

    import moto_launcher
    from moto.stepfunctions.parser.backend.execution import Execution

    moto_launcher.stop_just_started_executions()
    execution = Execution(
        name="just-stored",
        sm_type="STANDARD",
        role_arn="arn:aws:iam::000000000000:role/r",
        exec_arn="arn:aws:states:us-east-1:000000000000:execution:m:just-stored",
        account_id="000000000000",
        region_name="us-east-1",
        state_machine=types.SimpleNamespace(arn="arn:aws:states:us-east-1:000000000000:stateMachine:m"),
        start_date=datetime.datetime.now(tz=datetime.timezone.utc),
        cloud_watch_logging_session=None,
        activity_store={},
        input_data="{}",
    )
    assert execution.exec_worker is None
    assert execution.status == "RUNNING"

