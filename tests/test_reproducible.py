"""Two builds of the same content with the same build date give the same bytes.

The one exception is Pagefind's filter data: ``pagefind.*.pf_meta`` and the
``filter/*.pf_filter`` chunks (so their content-hashed names, and the hash in
``pagefind-entry.json``) list filters in hash-map order (upstream issue #638).
Those must have the same number of files of the same sizes.
"""

from __future__ import annotations

from helpers import ROOT, assert_same_site, build


def test_two_builds_of_the_same_content_are_byte_identical(sample_site, tmp_path):
    assert_same_site(sample_site, build(ROOT / "content", tmp_path / "output"))
