"""An emulator made in Python with no arguments is the one ``amplify-auth emulator`` starts
with none: jobs of 3 seconds, no latency, no injected faults, this machine only, one region,
no strict auth."""

from __future__ import annotations

from amplify_auth_widgets.cli.entry import build_parser
from amplify_auth_widgets.cli.services import emulator_from_args
from amplify_auth_widgets.emulator import Emulator
from amplify_auth_widgets.emulator.server import Faults


def test_the_python_defaults_are_the_command_lines(tmp_path):
    made = Emulator(db=str(tmp_path / "a.db"))
    args = build_parser().parse_args(["emulator", "--db", str(tmp_path / "b.db")])
    commanded = emulator_from_args(args)
    for emu in (made, commanded):
        assert emu.backend.job_seconds == (3.0, 3.0)
        assert emu.faults == Faults(latency_ms=0.0, throttle_rate=0.0, timeout_rate=0.0)
        assert emu.fail_rate == 0.0
        assert emu.host == "127.0.0.1" and emu.regions == ("us-east-1",)
        assert emu.identities.strict is None and emu.log_level == "warning"
    assert made.port == 0  # a free port, where the command line has its own (4600)
