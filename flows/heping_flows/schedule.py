"""Time zones of served schedules: a cron line means nothing without one.

Why a module: Prefect stores a cron schedule with a time zone and reads a missing one as
UTC, so ``02:00`` on a machine in Shanghai would run at 10:00 local time. ``serve`` names
the zone explicitly: the one given, or this machine's.
"""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def check_timezone(name: str) -> str:
    """``name`` when it is an IANA zone (``Asia/Shanghai``, ``UTC``); ValueError otherwise."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"unknown time zone {name!r} (use an IANA name such as Asia/Shanghai)"
        raise ValueError(msg) from None
    return name


def local_timezone(environ: dict[str, str] | None = None, localtime: str = "/etc/localtime") -> str:
    """This machine's IANA zone: ``TZ``, else where ``/etc/localtime`` points, else UTC."""
    env = os.environ if environ is None else environ
    tz = (env.get("TZ") or "").lstrip(":")
    if tz and _known(tz):
        return tz
    link = Path(localtime)
    if link.is_symlink():
        target = os.path.realpath(link)
        if "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
            if _known(name):
                return name
    return "UTC"


def _known(name: str) -> bool:
    return name in available_timezones() or name == "UTC"
