"""Placeholder: replaced by the ical work."""


def write(site) -> None:
    return None
