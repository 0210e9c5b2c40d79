"""Whatever a file holds, reading and validating it gives a record or French problems
with a line, never another exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vitrine.content.validate import read_record
from vitrine.problems import Problem

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# Words a French message is made of; each message holds at least one.
FRENCH = (" : ", "é", "è", "à", "ê", "champ", "valeur", "fichier", "écrivez", "ligne")

# Pieces of YAML and Markdown that are each harmless alone and trouble together.
TOKENS = [
    "nom", "mission", "offre", "secteurs", "contact", "adresse", "ville", "courriel",
    "logo", "fondation", "prix", "debut", "titre", "inconnu", ":", ": ", "- ", "  ",
    "\t", "\n", "\r\n", "[", "]", "{", "}", ",", "&a ", "*a", "!!python/object ",
    "!!str ", '"', "'", "#", "|", ">", "---", "...", "~", "null", "NO", "on",
    "01000", "1e999999", "NaN", "2026-02-30", "é", "e\u0301", "\u202e", "\x07",
    "\x00", "\ufeff", "<script>", "</script>", "javascript:", "../", "images/x.svg",
    "https://exemple.ca", "a@b.ca", "%YAML 1.2", "? ", "<<: ", "[[[[", "9" * 30,
]  # fmt: skip
yamlish = st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=60).map("".join)
front_matter = st.builds(lambda head, body: f"---\n{head}\n---\n{body}", yamlish, yamlish)


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def check(folder: Path, raw: bytes, kind: str, context: dict) -> None:
    path = folder / "fiche.md"
    path.write_bytes(raw)
    record, problems = read_record(path, kind, context)
    if record is not None:
        assert problems == []
        assert record.slug == "fiche" and "<script" not in record.description_html
        return
    assert problems, "a file that is not a record must say why"
    for problem in problems:
        assert isinstance(problem, Problem) and problem.path == path
        assert isinstance(problem.line, int) and problem.line >= 1
        assert any(word in problem.message for word in FRENCH), problem.message


@SETTINGS
@given(raw=st.binary(max_size=2000), kind=st.sampled_from(["enterprise", "event"]))
def test_arbitrary_bytes_give_a_record_or_french_problems(folder, context, raw, kind):
    check(folder, raw, kind, context)


@SETTINGS
@given(text=front_matter, kind=st.sampled_from(["enterprise", "event"]))
def test_arbitrary_yaml_gives_a_record_or_french_problems(folder, context, text, kind):
    check(folder, text.encode("utf-8", "surrogatepass"), kind, context)


VALID = Path(__file__).parent / "fixtures/valid"
FIELDS = [
    ("enterprises/coop-exemple.md", field)
    for field in ("nom", "mission", "fondation", "logo", "neq", "date_ajout", "langues")
] + [("events/atelier.md", field) for field in ("prix", "debut", "fin", "inscription")]


@SETTINGS
@given(value=st.text(max_size=40) | st.sampled_from(TOKENS), where=st.sampled_from(FIELDS))
def test_any_value_in_a_valid_file_gives_a_record_or_french_problems(folder, context, value, where):
    name, field = where
    lines = [
        line
        for line in (VALID / name).read_text(encoding="utf-8").split("\n")
        if not line.startswith(f"{field}:")
    ]
    lines.insert(1, f"{field}: {value}")
    kind = "enterprise" if name.startswith("enterprises") else "event"
    check(folder, "\n".join(lines).encode("utf-8", "surrogatepass"), kind, context)
