"""Which participants have been quiet long enough to be forgotten, and removing them.

A centre may decide to keep answers only for a while (``WITHIN_RETENTION_DAYS``). A person's
"newest activity" is the latest date on any of their rows, in any table that holds a code,
so tables added by later migrations count without changing this module.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Connection, Date, delete, func, select

from widgets.store.tables import participant_columns


def newest_activity(connection: Connection) -> dict[str, date]:
    """The latest date on any row of each participant."""
    newest: dict[str, date] = {}
    for column in participant_columns():
        dates = [c for c in column.table.c if isinstance(c.type, Date)]
        for dated in dates:
            query = select(column, func.max(dated)).group_by(column)
            for code, day in connection.execute(query):
                if code is not None and day is not None and (code not in newest or day > newest[code]):
                    newest[code] = day
    return newest


def quiet_codes(connection: Connection, days: int, today: date | None = None) -> list[str]:
    """Codes whose newest activity is more than ``days`` days before ``today``."""
    cutoff = (today or date.today()) - timedelta(days=days)
    return sorted(code for code, day in newest_activity(connection).items() if day < cutoff)


def delete_codes(connection: Connection, codes: list[str]) -> dict[str, int]:
    """Remove every row of ``codes`` in every table (children first); rows removed per table."""
    removed: dict[str, int] = {}
    for column in participant_columns():
        count = 0
        for start in range(0, len(codes), 500):  # stay under SQLite's limit on parameters
            chunk = codes[start : start + 500]
            count += connection.execute(delete(column.table).where(column.in_(chunk))).rowcount
        removed[column.table.name] = removed.get(column.table.name, 0) + count
    return removed
