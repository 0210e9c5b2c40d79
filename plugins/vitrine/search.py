"""Placeholder: replaced by the search work."""


def write(site) -> None:
    return None
