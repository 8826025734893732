"""The command's options that need no Prefect run: the flow-run heartbeat setting."""

from __future__ import annotations

import pytest
from heping_flows import cli


def test_heartbeat_is_off_by_default_for_run() -> None:
    assert cli.heartbeat_setting(None, {}) is None


@pytest.mark.parametrize("var", cli.HEARTBEAT_ENV)
def test_a_configured_heartbeat_is_kept(var: str) -> None:
    assert cli.heartbeat_setting(None, {var: "120"}) == "keep"


def test_the_flag_wins() -> None:
    env = {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY": "120"}
    assert cli.heartbeat_setting(0, env) is None
    assert cli.heartbeat_setting(60, env) == 60
    with pytest.raises(ValueError, match="at least 30"):
        cli.heartbeat_setting(5, {})


def test_only_run_takes_the_flag() -> None:
    assert cli._parser().parse_args(["run", "--heartbeat", "90"]).heartbeat == 90
    assert cli._parser().parse_args(["run"]).heartbeat is None
    with pytest.raises(SystemExit):
        cli._parser().parse_args(["serve", "--heartbeat", "90"])


def test_flow_settings_switch_the_heartbeat_for_the_run_only() -> None:
    from prefect.settings import get_current_settings

    before = get_current_settings().flows.heartbeat_frequency
    with cli._flow_settings(None):
        assert get_current_settings().flows.heartbeat_frequency is None
    with cli._flow_settings(45):
        assert get_current_settings().flows.heartbeat_frequency == 45
    with cli._flow_settings("keep"):
        assert get_current_settings().flows.heartbeat_frequency == before
    assert get_current_settings().flows.heartbeat_frequency == before
