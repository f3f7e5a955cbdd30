"""What every config model shares: the pydantic base and the sub-path problem carrier.

Kept apart from ``config.py`` so that the models of other layers (``workloads/config.py``) can
build on them while ``PlatformConfig`` imports those models.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel


class Problems(ValueError):
    """Raised by validators that find problems below the field they validate.

    Each problem carries a path relative to that field (``"[1]"``, ``".serviceCidr"``), so the
    ``ConfigError`` names the exact key.
    """

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(message for _, message in self.problems))


class ConfigModel(BaseModel):
    """A config section: camelCase keys, unknown keys refused, immutable once validated."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
    )


def error_items(err: ValidationError) -> Iterator[tuple[tuple[int | str, ...], str, str]]:
    """Every problem of a validation error as (location, sub-path, message).

    The location is pydantic's (camelCase keys, list indexes); the sub-path is what a
    ``Problems`` raised there adds below it (``".serviceCidr"``, ``"[1]"``), else ``""``. The
    stack file (``config.py``) and the components' arguments (``arguments/``) render both as
    their own paths, with the same messages.
    """
    for item in err.errors():
        cause = (item.get("ctx") or {}).get("error")
        if isinstance(cause, Problems):
            for sub, message in cause.problems:
                yield item["loc"], sub, message
        else:
            yield item["loc"], "", error_message(item)


def error_message(item: Any) -> str:
    """The message of one pydantic error item, as a stack file's author reads it."""
    kind = item["type"]
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; keys are camelCase)"
    if kind == "missing":
        return "is required"
    if kind == "value_error":
        return str(item["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        return (
            f"{item['input']!r} is not allowed: {str(item['msg']).removeprefix('Input should be ')}"
        )
    return f"{item['msg']} (got {item['input']!r})"
