"""What every config model shares: the pydantic base and the sub-path problem carrier.

Kept apart from ``config.py`` so that the models of other layers (``workloads/config.py``) can
build on them while ``PlatformConfig`` imports those models.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict
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
