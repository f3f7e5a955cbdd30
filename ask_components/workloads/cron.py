"""Cron schedules: checking them, and moving CronHPA schedules into the controller's time zone.

Two dialects are in play:

- Kubernetes CronJobs (and the spark-operator's ScheduledSparkApplication) take the standard
  5-field schedule (minute hour day-of-month month day-of-week) or a ``@daily``-style descriptor,
  parsed by robfig/cron's ``ParseStandard``; a ``timeZone`` field says where it runs.
- ACK's CronHPA takes 6 fields, seconds first, parsed by ringtail/go-cron
  (https://github.com/AliyunContainerService/kubernetes-cronhpa-controller README), and has **no
  time-zone field**: the controller runs every schedule in its own local time zone
  (``NewCronHPAExecutor`` falls back to ``time.Now().Location()``, which is UTC in a container
  without a ``TZ``). :func:`to_time_zone` rewrites a schedule written in the user's zone into the
  controller's, so "08:00 Monday to Friday, Asia/Shanghai" does not fire at 16:00.

Pure: strings in, strings out; problems raise :class:`CronError` with a message for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ask_components.errors import AskError

__all__ = [
    "CRONHPA_FIELDS",
    "CRONJOB_FIELDS",
    "CronError",
    "check_schedule",
    "check_time_zone",
    "to_time_zone",
]


class CronError(AskError, ValueError):
    """A schedule or time zone is malformed, or cannot be moved to another time zone."""


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()  # value names, index = low + position
    question_mark: bool = False  # "?" allowed (day of month, day of week)


_MONTHS: Final = (
    "JAN",
    "FEB",
    "MAR",
    "APR",
    "MAY",
    "JUN",
    "JUL",
    "AUG",
    "SEP",
    "OCT",
    "NOV",
    "DEC",
)
_DAYS: Final = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")

_MINUTE: Final = _Field("minute", 0, 59)
_HOUR: Final = _Field("hour", 0, 23)
_DAY_OF_MONTH: Final = _Field("day of month", 1, 31, question_mark=True)
_MONTH: Final = _Field("month", 1, 12, _MONTHS)
_DAY_OF_WEEK: Final = _Field("day of week", 0, 6, _DAYS, question_mark=True)

CRONJOB_FIELDS: Final = (_MINUTE, _HOUR, _DAY_OF_MONTH, _MONTH, _DAY_OF_WEEK)
"""The 5 fields of a Kubernetes CronJob schedule."""

CRONHPA_FIELDS: Final = (_Field("second", 0, 59), *CRONJOB_FIELDS)
"""The 6 fields of a CronHPA schedule: seconds first."""

_DESCRIPTORS: Final = frozenset(
    {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"}
)


def check_schedule(schedule: str, *, seconds: bool) -> None:
    """Check a cron schedule field by field.

    Args:
        schedule: the schedule text.
        seconds: True for the CronHPA dialect (6 fields, seconds first), False for CronJobs
            (5 fields, or a descriptor such as ``@daily``).

    Raises:
        CronError: the schedule is malformed; the message names the field.
    """
    text = schedule.strip()
    if not seconds and text in _DESCRIPTORS:
        return
    fields = CRONHPA_FIELDS if seconds else CRONJOB_FIELDS
    parts = text.split()
    if len(parts) != len(fields):
        layout = " ".join(field.name.replace(" ", "-") for field in fields)
        example = '"0 0 8 * * 1-5"' if seconds else '"30 2 * * *"'
        raise CronError(
            f"schedule {schedule!r} has {len(parts)} fields; expected {len(fields)} ({layout}), "
            f"e.g. {example}"
        )
    for field, part in zip(fields, parts, strict=True):
        _expand(part, field, schedule)


def check_time_zone(zone: str) -> ZoneInfo:
    """The IANA time zone named ``zone`` (``Asia/Shanghai``, ``UTC``).

    Raises:
        CronError: no such time zone.
    """
    if not isinstance(zone, str):  # zoneinfo raises TypeError, which pydantic would not report
        raise CronError(f"{zone!r} is not an IANA time zone name (expected e.g. Asia/Shanghai)")
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise CronError(
            f"{zone!r} is not an IANA time zone (expected e.g. Asia/Shanghai or UTC)"
        ) from None


# Two dates half a year apart: a zone with daylight saving time has different offsets on them,
# in either hemisphere.
_PROBE_DATES: Final = (datetime(2025, 1, 15, 12), datetime(2025, 7, 15, 12))


def _fixed_offset_minutes(zone: str) -> int:
    info = check_time_zone(zone)
    offsets = {
        int(probe.replace(tzinfo=info).utcoffset().total_seconds()) // 60  # type: ignore[union-attr]
        for probe in _PROBE_DATES
    }
    if len(offsets) != 1:
        raise CronError(
            f"time zone {zone} observes daylight saving time, so a CronHPA schedule cannot be "
            "moved into the controller's time zone once for the whole year; write it in the "
            "controller's time zone instead"
        )
    return offsets.pop()


def to_time_zone(schedule: str, *, source: str, target: str) -> str:
    """Rewrite a 6-field CronHPA schedule written in ``source`` into ``target``'s local time.

    Only fixed-offset zones can be converted once and for all (Asia/Shanghai is UTC+8 all year).
    The hour field must list plain hours (``8`` or ``8,20``) unless the offset is zero; when the
    shift crosses midnight, the day of week moves with it and the day of month and month must be
    ``*``.

    Args:
        schedule: the schedule, seconds first (``"0 0 8 * * 1-5"``).
        source: the zone it is written in.
        target: the zone the controller runs schedules in.

    Returns:
        The schedule in ``target`` (``"0 0 0 * * 1-5"`` for the example, Asia/Shanghai -> UTC).

    Raises:
        CronError: the schedule is malformed, a zone is unknown or observes daylight saving
            time, or the shift cannot be expressed in cron fields.
    """
    check_schedule(schedule, seconds=True)
    if source == target:
        return schedule
    delta = _fixed_offset_minutes(source) - _fixed_offset_minutes(target)
    if delta == 0:
        return schedule
    second, minute, hour, day_of_month, month, day_of_week = schedule.split()

    def refuse(reason: str) -> CronError:
        return CronError(
            f"schedule {schedule!r} in {source} cannot be moved to the CronHPA controller's "
            f"time zone {target}: {reason}; write it in {target} instead"
        )

    if delta % 60 and not minute.isdigit():
        raise refuse("the offset is not whole hours, so the minute must be a single number")
    if hour == "*" and delta % 60 == 0:
        return schedule  # every hour stays every hour
    if not all(part.isdigit() for part in hour.split(",")):
        raise refuse("the hour must be a number or a list of numbers (8 or 8,20)")
    minute_value = int(minute) if minute.isdigit() else 0
    shifted: set[tuple[int, int, int]] = set()
    new_hours: list[int] = []
    for value in sorted({int(part) for part in hour.split(",")}):
        day_shift, total = divmod(value * 60 + minute_value - delta, 24 * 60)
        new_hour, new_minute = divmod(total, 60)
        new_hours.append(new_hour)
        shifted.add((day_shift, new_minute, 0))
    if len(shifted) != 1:
        raise refuse("its hours would land on different days")
    day_shift, new_minute, _ = shifted.pop()
    if day_shift:
        if day_of_month not in ("*", "?") or month != "*":
            raise refuse("the shift crosses midnight, so the day of month and month must be *")
        if day_of_week not in ("*", "?"):
            days = _expand(day_of_week, _DAY_OF_WEEK, schedule)
            day_of_week = _compact({(day + day_shift) % 7 for day in days})
    minute_text = str(new_minute) if minute.isdigit() else minute
    hour_text = ",".join(str(value) for value in sorted(new_hours))
    return " ".join((second, minute_text, hour_text, day_of_month, month, day_of_week))


def _compact(values: set[int]) -> str:
    """Sorted values as cron text with ranges: {1,2,3,5} -> "1-3,5"."""
    ordered = sorted(values)
    parts: list[str] = []
    start = previous = ordered[0]
    for value in [*ordered[1:], None]:
        if value is not None and value == previous + 1:
            previous = value
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if value is not None:
            start = previous = value
    return ",".join(parts)


def _value(text: str, field: _Field, schedule: str) -> int:
    upper = text.upper()
    if field.names and upper in field.names:
        return field.low + field.names.index(upper)
    if not text.isdigit():
        raise CronError(f"schedule {schedule!r}: {field.name} {text!r} is not a number")
    value = int(text)
    if not field.low <= value <= field.high:
        raise CronError(
            f"schedule {schedule!r}: {field.name} {value} is out of range {field.low}-{field.high}"
        )
    return value


def _expand(part: str, field: _Field, schedule: str) -> set[int]:
    """The values a field matches; raises CronError when it is malformed."""
    if part == "?":
        if not field.question_mark:
            raise CronError(f"schedule {schedule!r}: '?' is only allowed in day of month or week")
        return set(range(field.low, field.high + 1))
    values: set[int] = set()
    for item in part.split(","):
        base, _, step_text = item.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise CronError(
                    f"schedule {schedule!r}: {field.name} step {step_text!r} is invalid"
                )
            step = int(step_text)
        if base == "*":
            low, high = field.low, field.high
        elif "-" in base:
            first, _, last = base.partition("-")
            low, high = _value(first, field, schedule), _value(last, field, schedule)
            if low > high:
                raise CronError(
                    f"schedule {schedule!r}: {field.name} range {base!r} runs backwards"
                )
        else:
            low = _value(base, field, schedule)
            high = field.high if step_text else low
        values.update(range(low, high + 1, step))
    return values
