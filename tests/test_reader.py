"""The reader: front matter stays the text the contributor wrote, with its lines."""

from pathlib import Path

import pytest
from vitrine.content.reader import ReadError, read_source


def read(tmp_path: Path, raw: bytes):
    path = tmp_path / "fiche.md"
    path.write_bytes(raw)
    return read_source(path)


def test_yaml_11_traps_keep_what_the_contributor_wrote(tmp_path):
    source = read(
        tmp_path,
        b"---\nnom: NO\nmission: on\ncode: 01000\nneq: 1160000000\nt: 819 555-0142\nd: 2026-01-02\n---\n",
    )
    assert source.data == {
        "nom": "NO", "mission": "on", "code": "01000", "neq": "1160000000",
        "t": "819 555-0142", "d": "2026-01-02",
    }  # fmt: skip


def test_empty_values_are_none_but_quoted_empty_is_text(tmp_path):
    source = read(tmp_path, b'---\na:\nb: ~\nc: ""\n---\n')
    assert source.data == {"a": None, "b": None, "c": ""}


def test_every_value_remembers_its_line(tmp_path):
    source = read(tmp_path, b"---\nnom: A\noffre:\n  - nom: B\n    description: C\n---\nCorps\n")
    assert source.line_of(("nom",)) == 2
    assert source.line_of(("offre", 0, "description")) == 5
    assert source.line_of(("offre", 0, "absent")) == 4
    assert source.body == "Corps\n" and source.body_line == 7


def test_byte_order_mark_and_crlf_are_accepted(tmp_path):
    source = read(tmp_path, "\ufeff---\r\nnom: Café\r\n---\r\nTexte\r\n".encode())
    assert source.data == {"nom": "Café"} and source.body == "Texte\n"


def test_text_is_unicode_normalised(tmp_path):
    decomposed = "Coope\u0301rative"
    source = read(tmp_path, f"---\nnom: {decomposed}\n---\n".encode())
    assert source.data["nom"] == "Coopérative"


@pytest.mark.parametrize(
    ("raw", "line", "start"),
    [
        (b"---\na: &x [1]\nb: *x\n---\n", 2, "les ancres et alias YAML"),
        (b"---\na: 1\na: 2\n---\n", 3, "le champ « a » apparaît deux fois"),
        (b"---\na: " + b"[" * 50 + b"]" * 50 + b"\n---\n", 2, "imbrication trop profonde"),
        (b"---\nnom: \xe9t\xe9\n---\n", 2, "le fichier n'est pas encodé en UTF-8"),
        (b"---\nnom: a\x00\n---\n", 2, "fichier binaire"),
        (b"---\n" + b"a: b\n" * 60000 + b"---\n", 1, "fichier trop volumineux"),
        (b"---\n- a\n- b\n---\n", 2, "l'en-tête doit être une liste de champs"),
        (b"---\n---\n", 1, "l'en-tête est vide"),
    ],
    ids=["alias", "duplicate-key", "deep", "not-utf8", "binary", "huge", "list", "empty"],
)
def test_unreadable_front_matter_is_refused_with_its_line(tmp_path, raw, line, start):
    with pytest.raises(ReadError) as caught:
        read(tmp_path, raw)
    assert caught.value.line == line
    assert caught.value.message.startswith(start)
