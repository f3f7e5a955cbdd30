"""What every config model shares: the pydantic base and the sub-path problem carrier.

Kept apart from ``config.py`` so that the models of other layers (``workloads/config.py``) can
build on them while ``PlatformConfig`` imports those models.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Sequence
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, ValidationError, ValidationInfo, field_validator
from pydantic.alias_generators import to_camel

INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1
"""The range of every whole-number config value. Kubernetes keeps replicas, ports, probe and Job
settings in int32 fields (the API server refuses more), and runAsUser must be a valid user id,
0 to 2147483647 (k8s.io/apimachinery validation.IsValidUserID); no other count or size in a
stack config comes near it."""


class Problems(ValueError):
    """Raised by validators that find problems below the field they validate.

    Each problem carries a path relative to that field (``"[1]"``, ``".serviceCidr"``), so the
    ``ConfigError`` names the exact key.
    """

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(message for _, message in self.problems))


def _is_whole_number_field(annotation: Any) -> bool:
    """True for ``int`` and ``int | None`` (also inside ``Annotated``)."""
    if annotation is int:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_whole_number_field(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = set(typing.get_args(annotation)) - {type(None)}
        return args == {int}
    return False


class ConfigModel(BaseModel):
    """A config section: camelCase keys, unknown keys refused, immutable once validated.

    Every whole-number field refuses booleans (pydantic would read ``replicas: true`` as 1) and
    values outside :data:`INT32_MIN`..:data:`INT32_MAX` (``replicas: 1e30`` used to reach a
    manifest, or a Decimal error).
    """

    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
    )

    @field_validator("*", mode="before")
    @classmethod
    def _whole_numbers_in_range(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, int | float) or info.field_name is None:
            return value
        field = cls.model_fields.get(info.field_name)
        if field is None or not _is_whole_number_field(field.annotation):
            return value
        if isinstance(value, bool):
            raise ValueError(f"{str(value).lower()} is not a whole number")
        shown = str(value) if isinstance(value, int) else f"{value:g}"
        if value > INT32_MAX:
            raise ValueError(f"{shown} is more than {INT32_MAX}, the most this value can be")
        if value < INT32_MIN:
            raise ValueError(f"{shown} is less than {INT32_MIN}, the least this value can be")
        return value


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
