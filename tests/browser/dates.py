"""Typing a date into a GOV.UK date input (a fieldset with Day, Month and Year boxes)."""

import datetime as dt


def date_group(scope, label: str):
    return scope.get_by_role("group", name=label).first


def fill_date(scope, label: str, day: dt.date | None) -> None:
    """Fill the date input whose legend is ``label`` (``None`` clears it)."""
    group = date_group(scope, label)
    for part, value in (("Day", day and day.day), ("Month", day and day.month), ("Year", day and day.year)):
        group.get_by_label(part, exact=True).fill(str(value) if day else "")


def date_value(scope, label: str) -> dt.date | None:
    group = date_group(scope, label)
    parts = [group.get_by_label(part, exact=True).input_value() for part in ("Day", "Month", "Year")]
    return dt.date(int(parts[2]), int(parts[1]), int(parts[0])) if all(parts) else None
