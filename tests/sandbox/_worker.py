"""Sandbox provider work run in a separate process by the concurrency and crash tests.

``python -m tests.sandbox._worker race STATE VPC_ID ORDER GO_FILE`` writes GO_FILE.ORDER.ready,
waits for GO_FILE, then tries
to create a /20 vSwitch in each of the 16 slots of VPC_ID's 10.0.0.0/16 (ORDER ``up`` or
``down``) and 10 EIPs, and prints how many vSwitches it made.

``python -m tests.sandbox._worker crash STATE MARKER`` creates a VPC, then starts creating a
vSwitch with a hook that writes MARKER inside the open transaction and sleeps: the test kills it.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ask_components.errors import SandboxError
from ask_components.sandbox import store
from ask_components.sandbox.nat import EipProvider
from ask_components.sandbox.vpc import VpcProvider, VSwitchProvider


def race(state: str, vpc_id: str, order: str, go_file: str) -> None:
    Path(f"{go_file}.{order}.ready").touch()
    deadline = time.monotonic() + 30
    while not Path(go_file).exists():
        if time.monotonic() > deadline:
            sys.exit("no go signal")
        time.sleep(0.005)
    slots = range(16) if order == "up" else range(15, -1, -1)
    made = 0
    for slot in slots:
        cidr = f"10.0.{slot * 16}.0/20"
        try:
            VSwitchProvider().create(
                {
                    "sandbox_state": state,
                    "vpc_id": vpc_id,
                    "cidr_block": cidr,
                    "zone_id": "cn-hangzhou-i",
                }
            )
            made += 1
        except SandboxError as err:
            if err.code != "InvalidCidrBlock.Overlapped":
                raise
        if slot < 10:
            EipProvider().create(
                {"sandbox_state": state, "bandwidth": "5", "internet_charge_type": "PayByTraffic"}
            )
        # Pulumi spaces creates out too; without a pause, SQLite's busy backoff lets one
        # process take every lock in a row and the race would not be a race.
        time.sleep(0.01)
    print(made)


def crash(state: str, marker: str) -> None:
    vpc = VpcProvider().create(
        {"sandbox_state": state, "cidr_block": "10.0.0.0/16", "region": "cn-hangzhou"}
    )

    def stall() -> None:
        # Written whole, then renamed: the test never reads a half-written marker.
        Path(f"{marker}.tmp").write_text(vpc.id)
        os.replace(f"{marker}.tmp", marker)
        time.sleep(60)

    store.set_before_commit_hook(stall)
    VSwitchProvider().create(
        {
            "sandbox_state": state,
            "vpc_id": vpc.id,
            "cidr_block": "10.0.0.0/20",
            "zone_id": "cn-hangzhou-i",
        }
    )
    sys.exit("the transaction was not interrupted")


if __name__ == "__main__":
    if sys.argv[1] == "race":
        race(*sys.argv[2:6])
    else:
        crash(*sys.argv[2:4])
