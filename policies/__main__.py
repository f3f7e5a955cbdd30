"""The ask-guardrails policy pack: ``pulumi preview --policy-pack policies``.

The rules live in ``ask_components.policy`` (one implementation, shared with ``askc policy
check``); this file only builds the pack. The stack's ``ask:policy`` (levels and waivers) sets the
pack's initial config; ``--policy-pack-config`` overrides it.
"""

import sys
from pathlib import Path

# Use the rules of the repository the pack sits in, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import PolicyPack

from ask_components.policy.pack import (
    PACK_NAME,
    build_policies,
    initial_config,
    pack_readme,
    settings_from_stack_config,
    stack_config_from_env,
)

settings = settings_from_stack_config(stack_config_from_env())

PolicyPack(
    PACK_NAME,
    policies=build_policies(settings),
    initial_config=dict(initial_config(settings)),
    description="Guardrails for Alibaba Cloud ACK Serverless (ASK) platforms",
    readme=pack_readme(),
)
