"""Two builds of the same content with the same build date give the same bytes.

The one exception is Pagefind's filter data: ``pagefind.*.pf_meta`` and the
``filter/*.pf_filter`` chunks (so their content-hashed names, and the hash in
``pagefind-entry.json``) list filters in hash-map order (upstream issue #638).
Those must have the same number of files of the same sizes.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import re
from pathlib import Path

from conftest import ROOT, build

# Each language's bundles: pagefind/ for the main one, en/pagefind/ for English.
UNORDERED = re.compile(
    r"^(?:[a-z]{2}/)?pagefind/\d+/(pagefind\.[^/]*\.pf_meta|filter/[^/]*\.pf_filter)$"
)
ENTRY = re.compile(r"^(?:[a-z]{2}/)?pagefind/\d+/pagefind-entry\.json$")


def files(output: Path) -> dict[str, Path]:
    return {p.relative_to(output).as_posix(): p for p in output.rglob("*") if p.is_file()}


def _unordered(path: Path) -> int:
    """Size of a Pagefind filter file once un-gzipped: the same whatever the order.

    (Its bytes can't be compared even sorted: the meta file names the filter
    chunks by content hash, and those hashes follow the order.)
    """
    data = path.read_bytes()
    with contextlib.suppress(OSError):  # stored uncompressed
        data = gzip.decompress(data)
    return len(data)


def _entry(path: Path) -> dict:
    """pagefind-entry.json without the meta file's content hash."""
    entry = json.loads(path.read_text(encoding="utf-8"))
    for language in entry.get("languages", {}).values():
        language.pop("hash", None)
    return entry


def assert_same_site(first_site: Path, second_site: Path) -> None:
    """Same files, same bytes; Pagefind's unordered filter data: same sizes."""
    first, second = files(first_site), files(second_site)
    ordered = sorted(n for n in first if not UNORDERED.search(n) and not ENTRY.search(n))
    assert ordered == sorted(n for n in second if not UNORDERED.search(n) and not ENTRY.search(n))
    assert len(ordered) > 50
    different = [name for name in ordered if first[name].read_bytes() != second[name].read_bytes()]
    assert different == []

    sizes = sorted(_unordered(p) for n, p in first.items() if UNORDERED.search(n))
    assert sizes and sizes == sorted(
        _unordered(p) for n, p in second.items() if UNORDERED.search(n)
    )
    entries = sorted(n for n in first if ENTRY.search(n))
    assert entries == sorted(n for n in second if ENTRY.search(n))
    for name in entries:
        assert _entry(first[name]) == _entry(second[name])


def test_two_builds_of_the_same_content_are_byte_identical(sample_site, tmp_path):
    assert_same_site(sample_site, build(ROOT / "content", tmp_path / "output"))
