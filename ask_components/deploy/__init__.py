"""What deploying with ``pulumi up`` needs: the deployer's RAM policy, and ``askc doctor``."""

from ask_components.deploy.doctor import Check, Machine, Status, run_checks
from ask_components.deploy.policy import RamPolicy, Statement, ram_policy
from ask_components.deploy.ram import INVOKE_ROWS, RESOURCE_ROWS, RamRow

__all__ = [
    "INVOKE_ROWS",
    "RESOURCE_ROWS",
    "Check",
    "Machine",
    "RamPolicy",
    "RamRow",
    "Statement",
    "Status",
    "ram_policy",
    "run_checks",
]
