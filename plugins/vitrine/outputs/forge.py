"""Links into the forge's web editor, where enterprises propose their listings.

A person without git clicks « Proposer une nouvelle fiche » and lands in the
forge's "new file" page (GitHub style: ``{repo}/new/{branch}/{folder}``) with a
file name and the commented template already filled in; saving it opens a pull
request. Editing an existing listing is ``urls.edit_listing``.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote, urlencode

from .. import urls
from ..content.template import NEW_FILE_NAME, template_text
from ..settings import Settings


def new_listing_url(settings: Settings, kind: str = "enterprise") -> str | None:
    """The forge page that creates a new listing (or event), template prefilled.

    None when no forge is configured (``VITRINE_REPOSITORY_URL`` empty): the
    site then shows no link rather than a broken one.
    """
    repository = settings.repository_url.rstrip("/")
    if not repository:
        return None
    branch = settings.repository_branch
    folder = posixpath.dirname(urls.source_path(settings, kind, "x"))
    query = urlencode(
        {"filename": NEW_FILE_NAME[kind], "value": template_text(kind)}, quote_via=quote
    )
    return f"{repository}/new/{branch}/{folder}?{query}"
