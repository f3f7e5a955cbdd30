"""Offline preview: run a Pulumi program under mocks and get its ResourceGraph."""

from ask_components.preview.graph import SECRET_MASK, ResourceGraph, ResourceNode

__all__ = [
    "SECRET_MASK",
    "UNKNOWN_MARK",
    "ProgramError",
    "ResourceGraph",
    "ResourceNode",
    "run_preview",
    "run_program",
]


def __getattr__(name: str) -> object:
    # The engine imports the Pulumi runtime (grpc, protobuf); load it only when asked for.
    if name in ("run_preview", "run_program", "ProgramError", "UNKNOWN_MARK"):
        from ask_components.preview import engine

        return getattr(engine, name)
    raise AttributeError(name)
