"""The base of every stack-config model, shared by ``config.py`` and the per-concept configs.

``ask_components/config.py`` assembles ``PlatformConfig`` from models that live beside their
concept (``ingress/config.py``, ``dns/config.py``, ...). Those modules cannot import
``config.py`` (it imports them), so the pieces every model needs live here.
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


PLATFORM_PATH = "ask:platform"
"""The config key of the platform document; problems name paths below it."""
