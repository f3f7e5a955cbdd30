"""The Pulumi state backend on OSS: bootstrap, check, history, restore and checkpoint reading."""

from ask_components.backend.bootstrap import BootstrapReport, SettingResult, bootstrap
from ask_components.backend.check import CheckItem, CheckReport, check
from ask_components.backend.checkpoint import decode_checkpoint, parse_state_url, read_checkpoint
from ask_components.backend.client import Credentials, StateBucket, credentials_from_env
from ask_components.backend.history import CheckpointVersion, history, list_versions
from ask_components.backend.names import BackendTarget
from ask_components.backend.restore import (
    ConcurrentChangeError,
    RestoreResult,
    StackLockedError,
    restore,
)
from ask_components.backend.stacks import LockInfo, StackRef, find_locks, find_stack

__all__ = [
    "BackendTarget",
    "BootstrapReport",
    "CheckItem",
    "CheckReport",
    "CheckpointVersion",
    "ConcurrentChangeError",
    "Credentials",
    "LockInfo",
    "RestoreResult",
    "SettingResult",
    "StackLockedError",
    "StackRef",
    "StateBucket",
    "bootstrap",
    "check",
    "credentials_from_env",
    "decode_checkpoint",
    "find_locks",
    "find_stack",
    "history",
    "list_versions",
    "parse_state_url",
    "read_checkpoint",
    "restore",
]
