"""Price books as data: the built-in ``china`` (CNY) and ``international`` (USD) books.

A book maps price keys (``eci.vcpu``, ``alb.lcu``...) to items. Each item has one unit and a
``default`` entry plus optional per-region entries (keyed by region id, or ``@group`` for a named
region group). Every entry that has a price carries its source URL and the date the source showed;
a price nobody could find is an entry with ``status: not_found`` and prices as "not found".

Users override entries with a file of the same schema (``--price-book FILE``), merged over the
built-in book: see :func:`load_price_book`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any, Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ask_components.errors import InputError
from ask_components.preview.project import YamlTooLarge, safe_load_guarded

Site = Literal["china", "international"]
SITES: tuple[Site, ...] = ("china", "international")
CURRENCY: dict[str, str] = {"china": "CNY", "international": "USD"}
MAX_BOOK_BYTES = 5 * 1024 * 1024
"""A price book larger than this is refused (a book is a few kilobytes)."""


def site_for_region(region: str) -> Site:
    """The default site of a region: ``cn-*`` bills on the China site, others international."""
    return "china" if region.startswith("cn-") else "international"


MAX_UNIT_PRICE: Final = Decimal(10) ** 6
"""The largest unit price a book may hold (per second, hour, GB or month: the dearest real one
is a few hundred a month). A price of 1e999999 made every line a Decimal overflow."""


class PriceEntry(BaseModel):
    """One price (or the record that it was not found) for one region or group.

    Attributes:
        status: ``ok`` (the entry has a price) or ``not_found``.
        price: the unit price in the book's currency, as a decimal (write it as a string).
        source: the URL (or repository path) the price comes from.
        source_key: the key of the source in the price reference (``ECI-CN``...), optional.
        retrieved: the date the source showed (``2024-11-27``), or ``undated``.
        note: caveats; required for ``not_found`` entries (say what is missing and where to look).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Literal["ok", "not_found"] = "ok"
    price: Decimal | None = None
    source: str | None = None
    source_key: str | None = None
    retrieved: str | None = None
    note: str = ""

    @field_validator("price", mode="before")
    @classmethod
    def _price_as_decimal(cls, value: Any) -> Any:
        if value is None or isinstance(value, Decimal):
            return value
        if isinstance(value, bool):
            raise ValueError("must be a number, got a boolean")
        if isinstance(value, int | float | str):
            try:
                # str() first: a YAML float 0.000049 must become Decimal("0.000049"), not the
                # binary approximation.
                return Decimal(str(value).strip())
            except InvalidOperation as exc:
                raise ValueError(f"not a number: {value!r}") from exc
        raise ValueError(f"must be a number, got {type(value).__name__}")

    @model_validator(mode="after")
    def _consistent(self) -> PriceEntry:
        if self.status == "ok":
            missing = [
                n for n in ("price", "source", "retrieved") if getattr(self, n) in (None, "")
            ]
            if missing:
                raise ValueError(
                    f"a price needs {', '.join(missing)} "
                    "(or `status: not_found` with a note when no price was found)"
                )
            assert self.price is not None
            if not self.price.is_finite() or self.price < 0:
                raise ValueError(f"price must be a finite number >= 0, got {self.price}")
            if self.price > MAX_UNIT_PRICE:
                raise ValueError(f"price must be at most {MAX_UNIT_PRICE}, got {self.price}")
        else:
            if self.price is not None:
                raise ValueError("a not_found entry must not carry a price")
            if not self.note.strip():
                raise ValueError("a not_found entry needs a note saying what is missing")
        return self


class PriceItem(BaseModel):
    """A priced thing (``eci.vcpu``) with its unit, a default entry and per-region entries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: str
    description: str = ""
    default: PriceEntry
    regions: dict[str, PriceEntry] = Field(default_factory=dict)


class PriceBookFile(BaseModel):
    """The schema of a price book file (built-in or user override)."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = 1
    site: Site | None = None
    currency: Literal["CNY", "USD"] | None = None
    region_groups: dict[str, list[str]] = Field(default_factory=dict)
    prices: dict[str, PriceItem] = Field(default_factory=dict)


class OverrideItem(BaseModel):
    """An item in a user's override file: every field optional, merged over the built-in item."""

    model_config = ConfigDict(extra="forbid")

    unit: str | None = None
    description: str | None = None
    default: PriceEntry | None = None
    regions: dict[str, PriceEntry] = Field(default_factory=dict)


class OverrideFile(BaseModel):
    """The schema of a ``--price-book`` file: the built-in schema with every field optional."""

    model_config = ConfigDict(extra="forbid")

    schema_version: Literal[1] = 1
    site: Site | None = None
    currency: Literal["CNY", "USD"] | None = None
    region_groups: dict[str, list[str]] = Field(default_factory=dict)
    prices: dict[str, OverrideItem] = Field(default_factory=dict)


@dataclass(frozen=True)
class Price:
    """A price resolved for one region.

    Attributes:
        key: the price key (``eci.vcpu``).
        unit: the unit the price is per (``vCPU-second``).
        amount: the unit price, or None when it was not found.
        currency: ``CNY`` or ``USD``.
        entry: the catalog entry it came from (source, date, note).
        matched: which entry matched: the region id, ``@group`` or ``default``.
    """

    key: str
    unit: str
    amount: Decimal | None
    currency: str
    entry: PriceEntry
    matched: str

    @property
    def found(self) -> bool:
        """True when the catalog has a price."""
        return self.amount is not None


@dataclass(frozen=True)
class PriceBook:
    """A validated price book for one site.

    Attributes:
        site: ``china`` or ``international``.
        currency: ``CNY`` or ``USD``.
        region_groups: group name to the region ids it holds.
        prices: price key to item.
        origin: where it came from (``built-in``, or ``built-in + <file>``).
    """

    site: Site
    currency: str
    region_groups: Mapping[str, tuple[str, ...]]
    prices: Mapping[str, PriceItem]
    origin: str = "built-in"
    _resolved: dict[tuple[str, str], Price] = field(default_factory=dict, compare=False, repr=False)

    def price(self, key: str, region: str) -> Price:
        """The price of ``key`` in ``region``: region entry, then ``@group`` entry, then default.

        Resolved once per (key, region) and book: pricing 10,000 resources asks ~40,000 times.

        Raises:
            KeyError: when the book has no item ``key`` (a programming error, not a user's).
        """
        found = self._resolved.get((key, region))
        if found is None:
            found = self._resolved[(key, region)] = self._lookup(key, region)
        return found

    def _lookup(self, key: str, region: str) -> Price:
        item = self.prices[key]
        entry = item.regions.get(region)
        matched = region
        if entry is None:
            for name, candidate in item.regions.items():
                if name.startswith("@") and region in self.region_groups.get(name[1:], ()):
                    entry, matched = candidate, name
                    break
        if entry is None:
            entry, matched = item.default, "default"
        amount = entry.price if entry.status == "ok" else None
        return Price(key, item.unit, amount, self.currency, entry, matched)

    def not_found(self) -> list[tuple[str, str, str]]:
        """Every ``not_found`` entry as (key, region or group or ``default``, note)."""
        rows: list[tuple[str, str, str]] = []
        for key, item in self.prices.items():
            entries = [("default", item.default), *item.regions.items()]
            rows.extend((key, where, e.note) for where, e in entries if e.status == "not_found")
        return rows


def _format_loc(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        elif "." in part or "@" in part or "-" in part:
            parts.append(f"[{part!r}]")
        else:
            parts.append(f".{part}" if parts else part)
    return "".join(parts)


def _validation_message(label: str, exc: ValidationError) -> str:
    lines = [f"{label}: invalid price book ({exc.error_count()} problem(s)):"]
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"  - {_format_loc(loc) or '(top level)'}: {msg}")
    return "\n".join(lines)


def _read_yaml(text: str, label: str) -> Any:
    try:
        # Guarded: no alias bombs, no nesting deep enough to exhaust the recursion.
        return safe_load_guarded(text)
    except YamlTooLarge as exc:
        raise InputError(f"{label}: {exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{label}: not valid YAML: {exc}") from exc


def _check_groups(
    book: PriceBookFile | OverrideFile, groups: Mapping[str, tuple[str, ...]], label: str
) -> None:
    """Each item's ``@group`` keys must name known groups that do not overlap."""
    problems: list[str] = []
    for key, item in book.prices.items():
        seen: dict[str, str] = {}
        for name in item.regions:
            if not name.startswith("@"):
                continue
            group = name[1:]
            if group not in groups:
                known = ", ".join(sorted(groups)) or "none"
                problems.append(
                    f"prices[{key!r}].regions[{name!r}]: unknown region group "
                    f"{group!r} (known: {known})"
                )
                continue
            for region in groups[group]:
                if region in seen:
                    problems.append(
                        f"prices[{key!r}].regions: region {region!r} is in both "
                        f"{seen[region]!r} and {name!r}"
                    )
                seen[region] = name
    if problems:
        raise InputError(
            f"{label}: invalid price book:\n" + "\n".join(f"  - {p}" for p in problems)
        )


@functools.cache
def builtin_price_book(site: Site) -> PriceBook:
    """The built-in book of a site, parsed and validated once per process."""
    if site not in SITES:
        raise InputError(f"unknown pricing site {site!r}; use one of: {', '.join(SITES)}")
    text = resources.files(__package__).joinpath(f"{site}.yaml").read_text(encoding="utf-8")
    label = f"built-in price book {site}.yaml"
    try:
        parsed = PriceBookFile.model_validate(_read_yaml(text, label))
    except ValidationError as exc:
        raise InputError(_validation_message(label, exc)) from exc
    groups = {name: tuple(regions) for name, regions in parsed.region_groups.items()}
    _check_groups(parsed, groups, label)
    if parsed.site != site or parsed.currency != CURRENCY[site]:
        raise InputError(f"{label}: site/currency do not match the file name")
    return PriceBook(site, CURRENCY[site], groups, dict(parsed.prices))


def read_override(path: Path) -> OverrideFile:
    """Read and validate a user's price-book file (not yet merged).

    Raises:
        InputError: the file is missing, too big, not UTF-8, not YAML or not of the schema; the
            message names the file and each bad key.
    """
    label = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"price book {label}: cannot read it: {exc.strerror or exc}") from exc
    if size > MAX_BOOK_BYTES:
        raise InputError(
            f"price book {label}: {size} bytes is larger than the "
            f"{MAX_BOOK_BYTES} bytes a price book may have"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"price book {label}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from exc
    except OSError as exc:
        raise InputError(f"price book {label}: cannot read it: {exc.strerror or exc}") from exc
    data = _read_yaml(text, f"price book {label}")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError(
            f"price book {label}: expected a mapping at the top level, got {type(data).__name__}"
        )
    try:
        return OverrideFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(_validation_message(f"price book {label}", exc)) from exc


def merge_price_book(base: PriceBook, override: OverrideFile, label: str) -> PriceBook:
    """``override`` merged over ``base``: its entries replace the base's, key by key.

    Raises:
        InputError: the override is for another site or currency, names an unknown price key, or
            changes a unit.
    """
    problems: list[str] = []
    if override.site is not None and override.site != base.site:
        problems.append(
            f"site: the file is for {override.site!r} but the estimate uses "
            f"{base.site!r} (set ask:pricing.site or use a file for {base.site!r})"
        )
    if override.currency is not None and override.currency != base.currency:
        problems.append(
            f"currency: {override.currency!r} does not match the {base.site} "
            f"book's {base.currency!r}"
        )
    prices = dict(base.prices)
    for key, item in override.prices.items():
        if key not in base.prices:
            known = ", ".join(sorted(base.prices))
            problems.append(f"prices[{key!r}]: unknown price key (known: {known})")
            continue
        current = base.prices[key]
        if item.unit is not None and item.unit != current.unit:
            problems.append(
                f"prices[{key!r}].unit: {item.unit!r} differs from the built-in "
                f"unit {current.unit!r}; give the price per {current.unit}"
            )
            continue
        prices[key] = PriceItem(
            unit=current.unit,
            description=item.description if item.description is not None else current.description,
            default=item.default if item.default is not None else current.default,
            regions={**current.regions, **item.regions},
        )
    groups = dict(base.region_groups)
    groups.update({name: tuple(regions) for name, regions in override.region_groups.items()})
    if problems:
        raise InputError(
            f"price book {label}: cannot be merged:\n" + "\n".join(f"  - {p}" for p in problems)
        )
    merged = PriceBookFile(site=base.site, currency=base.currency, prices=prices)
    _check_groups(merged, groups, f"price book {label}")
    return PriceBook(base.site, base.currency, groups, prices, f"{base.origin} + {label}")


def load_price_book(site: Site, override: Path | None = None) -> PriceBook:
    """The price book of ``site``, with the user's ``override`` file merged over it if given."""
    base = builtin_price_book(site)
    if override is None:
        return base
    return merge_price_book(base, read_override(override), str(override))


__all__ = [
    "CURRENCY",
    "SITES",
    "OverrideFile",
    "Price",
    "PriceBook",
    "PriceBookFile",
    "PriceEntry",
    "PriceItem",
    "Site",
    "builtin_price_book",
    "load_price_book",
    "merge_price_book",
    "read_override",
    "site_for_region",
]
