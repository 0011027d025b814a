"""iCalendar feeds (RFC 5545) built with the `icalendar` library from calendar entries.

Stable UIDs («event-12@kalar.oms»): an edited entry replaces itself in the subscriber's calendar; SEQUENCE
grows with each change; a cancelled one is sent with STATUS:CANCELLED. Times carry the district's zone
(its VTIMEZONE is included), all-day entries are dates.
"""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar

from .calendar import Entry


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "Europe/Moscow")
    except (KeyError, ValueError):
        return ZoneInfo("Europe/Moscow")


def feed(entries: list[Entry], name: str, time_zone: str, domain: str, base_url: str = "") -> bytes:
    zone = _zone(time_zone)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//OMS//Calendar//RU")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", zone.key)
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for entry in entries:
        item = icalendar.Event()
        item.add("uid", f"{entry.uid}@{domain}")
        item.add("dtstamp", stamp)
        item.add("summary", entry.title)
        if isinstance(entry.start, datetime):
            item.add("dtstart", entry.start.replace(tzinfo=zone))
            end = entry.end if isinstance(entry.end, datetime) else entry.start + timedelta(hours=1)
            item.add("dtend", end.replace(tzinfo=zone))
        else:
            item.add("dtstart", entry.start)
            last = entry.end if isinstance(entry.end, date) and entry.end >= entry.start else entry.start
            item.add("dtend", last + timedelta(days=1))  # DTEND of a date is exclusive
        if entry.where:
            item.add("location", entry.where)
        if entry.url:
            item.add("url", base_url + entry.url)
        if entry.note:
            item.add("description", entry.note)
        item.add("sequence", int(entry.sequence or 0))
        item.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
        cal.add_component(item)
    cal.add_missing_timezones()
    return cal.to_ical()
