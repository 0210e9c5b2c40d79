"""Placeholder: replaced by the exports work."""


def write(site) -> None:
    return None
