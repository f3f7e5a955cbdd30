"""Cron schedules: field checks per dialect, and moving CronHPA schedules between time zones."""

from __future__ import annotations

import pytest

from ask_components.workloads.cron import CronError, check_schedule, check_time_zone, to_time_zone


@pytest.mark.parametrize(
    ("schedule", "seconds"),
    [
        ("30 2 * * *", False),
        ("*/15 * * * *", False),
        ("0 9-17 * * MON-FRI", False),
        ("0 0 1,15 * ?", False),
        ("@daily", False),
        ("@hourly", False),
        ("0 0 8 * * 1-5", True),
        ("30 */1 * * * *", True),
        ("0 0 8 * JAN-MAR SAT,SUN", True),
        ("0 5/10 * * * *", True),
    ],
)
def test_valid_schedules(schedule: str, seconds: bool) -> None:
    check_schedule(schedule, seconds=seconds)


@pytest.mark.parametrize(
    ("schedule", "seconds", "message"),
    [
        (
            "0 0 8 * *",
            True,
            "schedule '0 0 8 * *' has 5 fields; expected 6 (second minute hour day-of-month month day-of-week), e.g. \"0 0 8 * * 1-5\"",
        ),
        (
            "0 0 8 * * 1-5",
            False,
            "schedule '0 0 8 * * 1-5' has 6 fields; expected 5 (minute hour day-of-month month day-of-week), e.g. \"30 2 * * *\"",
        ),
        ("61 * * * *", False, "schedule '61 * * * *': minute 61 is out of range 0-59"),
        ("0 0 25 * * *", True, "schedule '0 0 25 * * *': hour 25 is out of range 0-23"),
        ("0 0 8 * * 1-9", True, "schedule '0 0 8 * * 1-9': day of week 9 is out of range 0-6"),
        ("0 0 0 * *", False, "schedule '0 0 0 * *': day of month 0 is out of range 1-31"),
        ("0 0 * FOO *", False, "schedule '0 0 * FOO *': month 'FOO' is not a number"),
        ("0 5-1 * * *", False, "schedule '0 5-1 * * *': hour range '5-1' runs backwards"),
        ("*/0 * * * *", False, "schedule '*/0 * * * *': minute step '0' is invalid"),
        ("? * * * *", False, "schedule '? * * * *': '?' is only allowed in day of month or week"),
        (
            "@every 5m",
            False,
            "schedule '@every 5m' has 2 fields; expected 5 (minute hour day-of-month month day-of-week), e.g. \"30 2 * * *\"",
        ),
    ],
)
def test_each_bad_schedule_says_why(schedule: str, seconds: bool, message: str) -> None:
    with pytest.raises(CronError) as caught:
        check_schedule(schedule, seconds=seconds)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("schedule", "source", "target", "expected"),
    [
        # The prod stack's workday window: 08:00 and 20:00 in Shanghai are 00:00 and 12:00 UTC.
        ("0 0 8 * * 1-5", "Asia/Shanghai", "UTC", "0 0 0 * * 1-5"),
        ("0 0 20 * * 1-5", "Asia/Shanghai", "UTC", "0 0 12 * * 1-5"),
        # 06:00 Monday in Shanghai is 22:00 Sunday in UTC: the days move with the hour.
        ("0 0 6 * * 1-5", "Asia/Shanghai", "UTC", "0 0 22 * * 0-4"),
        ("0 30 2,3 * * MON-FRI", "Asia/Shanghai", "UTC", "0 30 18,19 * * 0-4"),
        ("0 0 22 * * 0-4", "UTC", "Asia/Shanghai", "0 0 6 * * 1-5"),
        ("0 0 8 * * *", "Asia/Shanghai", "UTC", "0 0 0 * * *"),
        ("0 0 23 * * 6", "UTC", "Asia/Shanghai", "0 0 7 * * 0"),
        # Half-hour offsets move the minute too.
        ("0 0 8 * * 1-5", "Asia/Kolkata", "UTC", "0 30 2 * * 1-5"),
        # Every hour stays every hour; equal zones and equal offsets change nothing.
        ("0 15 * * * *", "Asia/Shanghai", "UTC", "0 15 * * * *"),
        ("0 0 8 * * 1-5", "UTC", "UTC", "0 0 8 * * 1-5"),
        ("0 0 8 * * 1-5", "Asia/Shanghai", "Asia/Singapore", "0 0 8 * * 1-5"),
    ],
)
def test_moving_a_schedule_to_the_controller_zone(
    schedule: str, source: str, target: str, expected: str
) -> None:
    assert to_time_zone(schedule, source=source, target=target) == expected


@pytest.mark.parametrize(
    ("schedule", "source", "message"),
    [
        (
            "0 0 8 * * 1-5",
            "Europe/Berlin",
            "time zone Europe/Berlin observes daylight saving time, so a CronHPA schedule cannot be moved into the controller's time zone once for the whole year; write it in the controller's time zone instead",
        ),
        (
            "0 0 8-10 * * *",
            "Asia/Shanghai",
            "schedule '0 0 8-10 * * *' in Asia/Shanghai cannot be moved to the CronHPA controller's time zone UTC: the hour must be a number or a list of numbers (8 or 8,20); write it in UTC instead",
        ),
        (
            "0 0 6,10 * * 1-5",
            "Asia/Shanghai",
            "schedule '0 0 6,10 * * 1-5' in Asia/Shanghai cannot be moved to the CronHPA controller's time zone UTC: its hours would land on different days; write it in UTC instead",
        ),
        (
            "0 0 6 1 * *",
            "Asia/Shanghai",
            "schedule '0 0 6 1 * *' in Asia/Shanghai cannot be moved to the CronHPA controller's time zone UTC: the shift crosses midnight, so the day of month and month must be *; write it in UTC instead",
        ),
        (
            "0 */5 8 * * *",
            "Asia/Kolkata",
            "schedule '0 */5 8 * * *' in Asia/Kolkata cannot be moved to the CronHPA controller's time zone UTC: the offset is not whole hours, so the minute must be a single number; write it in UTC instead",
        ),
    ],
)
def test_schedules_that_cannot_move(schedule: str, source: str, message: str) -> None:
    with pytest.raises(CronError) as caught:
        to_time_zone(schedule, source=source, target="UTC")
    assert str(caught.value) == message


def test_unknown_time_zone() -> None:
    with pytest.raises(CronError) as caught:
        check_time_zone("Mars/Olympus")
    assert str(caught.value) == (
        "'Mars/Olympus' is not an IANA time zone (expected e.g. Asia/Shanghai or UTC)"
    )
