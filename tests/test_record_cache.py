"""The record cache: a rebuild re-reads only changed files and sees exactly what a cold load sees."""

import os
import pickle
import shutil
import time
from pathlib import Path

import pytest
from helpers import BUILD_DATE, make_content, write
from vitrine import store
from vitrine.content import load as validation
from vitrine.content import record_cache
from vitrine.content.load import load_directory
from vitrine.content.model import Enterprise
from vitrine.content.vocabulary import Vocabularies
from vitrine.settings import Layout
from vitrine.settings import read as read_vitrine_settings

ENTERPRISE = """
    ---
    nom: {name}
    forme_juridique: obnl
    mission: {mission}
    secteurs: [ebenisterie]
    offre:
      - nom: Tables
        description: Sur mesure, en bois d'ici.
    territoires: [memphremagog]
    adresse:
      ville: Magog
    contact:
      site_web: https://atelier.example
    fondation: 1998
    {extra}
    ---
    Une **description** de {name}.
"""
EVENT = """
    ---
    titre: Maillage de décembre
    type: maillage
    debut: 2026-12-10 08:30
    fin: 2026-12-10 11:30
    lieu:
      nom: Le Parvis
      ville: Sherbrooke
    public: tous
    entreprises: [atelier-a, atelier-b]
    ---
    Description.
"""
PNG = b"\x89PNG\r\n\x1a\n"
HOUR_NS = 3600 * 10**9


def enterprise(name: str, mission: str = "Des meubles durables.", extra: str = "") -> str:
    return ENTERPRISE.format(name=name, mission=mission, extra=extra)


def set_old_mtime(path: Path, hours: int = 1) -> None:
    """Files older than the build, as in a checkout: a fresh logo is never stored."""
    stamp = time.time_ns() - hours * HOUR_NS
    os.utime(path, ns=(stamp, stamp))


@pytest.fixture
def content(tmp_path) -> Path:
    content = make_content(
        tmp_path,
        {
            "enterprises/atelier-a.md": enterprise("Atelier A", extra="logo: images/a.png"),
            "enterprises/atelier-b.md": enterprise("Atelier B"),
            "events/maillage.md": EVENT,
        },
    )
    (content / "images").mkdir()
    (content / "images/a.png").write_bytes(PNG + b"a")
    set_old_mtime(content / "images/a.png")
    return content


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """Names of the files read_record is asked to read."""
    names: list[str] = []
    real = validation.read_record

    def counting(path, kind, context, raw=None):
        names.append(path.name)
        return real(path, kind, context, raw)

    monkeypatch.setattr(validation, "read_record", counting)
    return names


def load(content: Path, vocabularies, cache: Path | None, date=BUILD_DATE, workers=1):
    layout = Layout(content / "enterprises", content / "events", content)
    when = read_vitrine_settings({"VITRINE_BUILD_DATE": date}).build_time()
    return load_directory(layout, vocabularies, when, workers=workers, cache_dir=cache)


def snapshot(directory) -> list:
    """What pages are made of, links included, in display order."""
    return [
        (
            record.slug,
            record.data.model_dump(),
            record.description_html,
            record.source,
            record.added,
            record.revisions,
            [
                link.slug
                for link in (
                    record.events if isinstance(record, Enterprise) else record.enterprises
                )
            ],
        )
        for record in [*directory.enterprises, *directory.events]
    ]


@pytest.mark.parametrize("workers", [1, 2])
def test_warm_load_equals_cold_and_reads_nothing(content, tmp_path, vocabularies, reads, workers):
    cold, problems = load(content, vocabularies, None)
    assert problems == [] and not (tmp_path / "cache").exists()
    first, _ = load(content, vocabularies, tmp_path / "cache", workers=workers)
    assert (tmp_path / "cache" / record_cache.CACHE_FILE).is_file()
    reads.clear()
    warm, problems = load(content, vocabularies, tmp_path / "cache")
    assert problems == [] and reads == []
    assert snapshot(warm) == snapshot(first) == snapshot(cold)
    assert len(cold.enterprises) == 2 and len(cold.events) == 1


def test_edited_deleted_and_new_files(content, tmp_path, vocabularies, reads):
    cache = tmp_path / "cache"
    load(content, vocabularies, cache)
    write(content / "enterprises/atelier-b.md", enterprise("Atelier B", "Une mission revue."))
    (content / "events/maillage.md").unlink()
    write(content / "enterprises/atelier-c.md", enterprise("Atelier C"))
    reads.clear()
    directory, problems = load(content, vocabularies, cache)
    assert problems == []
    assert sorted(reads) == ["atelier-b.md", "atelier-c.md"]
    assert [e.slug for e in directory.enterprises] == ["atelier-a", "atelier-b", "atelier-c"]
    assert directory.enterprises[1].data.mission == "Une mission revue."
    assert directory.events == [] and all(e.events == [] for e in directory.enterprises)
    reads.clear()
    again, _ = load(content, vocabularies, cache)
    assert reads == [] and snapshot(again) == snapshot(directory)


def test_an_invalid_file_is_reported_every_time_until_fixed(content, tmp_path, vocabularies, reads):
    cache = tmp_path / "cache"
    load(content, vocabularies, cache)
    write(content / "enterprises/atelier-b.md", enterprise("Atelier B").replace("obnl", "sarl"))
    for _ in range(2):  # never cached: the problem comes back on the next load
        reads.clear()
        directory, problems = load(content, vocabularies, cache)
        assert reads == ["atelier-b.md"]
        assert [(p.path.name, p.field) for p in problems] == [
            ("atelier-b.md", "forme_juridique"),
            ("maillage.md", "entreprises[2]"),
        ]
        assert [e.slug for e in directory.enterprises] == ["atelier-a"]
    write(content / "enterprises/atelier-b.md", enterprise("Atelier B", "Réparée."))
    directory, problems = load(content, vocabularies, cache)
    assert problems == [] and directory.enterprises[1].data.mission == "Réparée."
    assert [e.slug for e in directory.events[0].enterprises] == ["atelier-a", "atelier-b"]


def _other_vocabularies(vocabularies) -> Vocabularies:
    sectors = {**vocabularies["secteurs"], "ebenisterie": "Ébénisterie fine"}
    return Vocabularies({**vocabularies.lists, "secteurs": sectors})


@pytest.mark.parametrize("change", ["vocabularies", "date", "code"])
def test_a_new_global_key_discards_the_cache(
    change, content, tmp_path, vocabularies, reads, monkeypatch
):
    cache = tmp_path / "cache"
    load(content, vocabularies, cache)
    date = BUILD_DATE
    if change == "vocabularies":
        vocabularies = _other_vocabularies(vocabularies)
    elif change == "date":
        date = "2026-11-28 12:00"
    else:
        monkeypatch.setattr(record_cache, "code_version", lambda: "une autre version")
    reads.clear()
    _, problems = load(content, vocabularies, cache, date=date)
    assert problems == [] and sorted(reads) == ["atelier-a.md", "atelier-b.md", "maillage.md"]
    reads.clear()
    load(content, vocabularies, cache, date=date)
    assert reads == []  # the new key's cache is in place


def test_the_build_date_reaches_cached_validation(content, tmp_path, vocabularies):
    """A founding year valid today is refused when the build is dated before it."""
    cache = tmp_path / "cache"
    write(content / "enterprises/atelier-b.md", enterprise("Atelier B").replace("1998", "2026"))
    assert load(content, vocabularies, cache)[1] == []
    _, problems = load(content, vocabularies, cache, date="2025-06-01")
    assert (problems[0].path.name, problems[0].field) == ("atelier-b.md", "fondation")


def test_a_changed_or_removed_logo_is_checked_again(content, tmp_path, vocabularies, reads):
    cache = tmp_path / "cache"
    logo = content / "images/a.png"
    load(content, vocabularies, cache)
    logo.write_bytes(b"GIF89a, not a PNG")
    set_old_mtime(logo, hours=2)
    reads.clear()
    _, problems = load(content, vocabularies, cache)
    assert reads == ["atelier-a.md"]
    assert (problems[0].path.name, problems[0].field) == ("atelier-a.md", "logo")
    assert "n'est pas une image PNG valide" in problems[0].message
    logo.unlink()
    _, problems = load(content, vocabularies, cache)
    assert "image introuvable" in problems[0].message
    logo.write_bytes(PNG + b"b")
    set_old_mtime(logo, hours=3)
    directory, problems = load(content, vocabularies, cache)
    assert problems == [] and directory.enterprises[0].data.logo == "images/a.png"
    reads.clear()
    load(content, vocabularies, cache)
    assert reads == []


def test_a_logo_changed_during_the_build_is_not_trusted(content, tmp_path, vocabularies, reads):
    """Its mtime may not move on the next change (coarse clocks): checked again next time."""
    cache = tmp_path / "cache"
    (content / "images/a.png").write_bytes(PNG + b"new")  # mtime: now
    load(content, vocabularies, cache)
    reads.clear()
    load(content, vocabularies, cache)
    assert reads == ["atelier-a.md"]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "folder", "entries"])
def test_a_damaged_cache_is_ignored(damage, content, tmp_path, vocabularies, reads):
    cache = tmp_path / "cache"
    expected = snapshot(load(content, vocabularies, cache)[0])
    file = cache / record_cache.CACHE_FILE
    data = file.read_bytes()
    if damage == "garbage":
        file.write_bytes(os.urandom(len(data)))
    elif damage == "truncated":
        file.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        file.write_bytes(b"")
    elif damage == "folder":
        file.unlink()
        file.mkdir()
    else:  # a readable file whose records are not records
        cached = record_cache.RecordCache(cache, _context(content, vocabularies))
        key = next(iter(cached.old))  # its file is unchanged: its record is unpickled
        cached.old[key] = (record_cache.sha256(Path(key[1]).read_bytes()), None, b"not a pickle")
        cached.new = cached.old
        cached.changed = True
        cached.save()
    reads.clear()
    directory, problems = load(content, vocabularies, cache)
    assert problems == [] and snapshot(directory) == expected
    assert reads
    if damage != "folder":  # rewritten whole: the next load reads nothing
        reads.clear()
        load(content, vocabularies, cache)
        assert reads == []


def _context(content: Path, vocabularies) -> dict:
    when = read_vitrine_settings({"VITRINE_BUILD_DATE": BUILD_DATE}).build_time()
    return {"vocabularies": vocabularies, "today": when.date(), "content": content}


def test_an_unpicklable_record_is_read_every_time(content, tmp_path, vocabularies, monkeypatch):
    real = validation.read_record

    def unpicklable(path, kind, context, raw=None):
        record, problems = real(path, kind, context, raw)
        if path.name == "atelier-b.md":
            record.trap = lambda: None  # pickle refuses lambdas
        return record, problems

    monkeypatch.setattr(validation, "read_record", unpicklable)
    cache = tmp_path / "cache"
    load(content, vocabularies, cache)
    names: list[str] = []
    monkeypatch.setattr(
        validation, "read_record", lambda p, *args: names.append(p.name) or real(p, *args)
    )
    directory, problems = load(content, vocabularies, cache)
    assert problems == [] and names == ["atelier-b.md"]
    assert [e.slug for e in directory.enterprises] == ["atelier-a", "atelier-b"]


def test_cached_records_are_linked_afresh_every_load(content, tmp_path, vocabularies):
    cache = tmp_path / "cache"
    for _ in range(3):
        directory, problems = load(content, vocabularies, cache)
        assert problems == []
        (event,) = directory.events
        assert [e.slug for e in event.enterprises] == ["atelier-a", "atelier-b"]
        for enterprise_ in directory.enterprises:
            assert enterprise_.events == [event]
            assert enterprise_.added is None and enterprise_.revisions == 0


def test_the_code_version_hashes_every_module_sub_packages_included(tmp_path, monkeypatch):
    """An edit in a sub-package (content/, outputs/search/…) must not leave stale records trusted."""
    package = tmp_path / "vitrine"
    shutil.copytree(record_cache.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(record_cache, "PACKAGE", package)
    versions = []
    for module in (None, "content/schema.py", "outputs/search/shards.py", "settings.py"):
        if module:
            with (package / module).open("a", encoding="utf-8") as source:
                source.write("\n# edited\n")
        record_cache.code_version.cache_clear()
        versions.append(record_cache.code_version())
    record_cache.code_version.cache_clear()
    assert len(set(versions)) == len(versions)


def in_a_fork(work):
    """``work()``'s value, computed in a forked process, as make devserver forks builds."""
    read, written = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.write(written, pickle.dumps(work()))
            code = 0
        finally:
            os._exit(code)
    os.close(written)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    return pickle.loads(os.read(read, 100_000))


def test_a_forked_load_uses_the_held_caches_and_still_sees_edits(content, tmp_path, vocabularies):
    """make devserver's warm process reads the cache folder ahead (store.hold) and forks
    each build: a forked load takes from memory what is unchanged, reads what changed."""
    cache = tmp_path / "cache"
    cold, _ = load(content, vocabularies, cache)

    def build_twice():
        warm, _ = load(content, vocabularies, cache)
        taken = not record_cache._revived  # every record came from memory
        write(content / "enterprises/atelier-b.md", enterprise("Atelier B", "Autre."))
        edited, _ = load(content, vocabularies, cache)
        return [snapshot(warm) == snapshot(cold), taken, edited.enterprises[1].data.mission]

    try:
        record_cache.hold(store.hold(cache))
        assert len(record_cache._revived) == 3  # two listings and an event, unpickled ahead
        assert not store.forked()  # the holding process itself never uses them
        same, taken, mission = in_a_fork(build_twice)
        assert same and taken and mission == "Autre."
    finally:
        store._held.clear()
        record_cache._revived.clear()


def test_a_held_cache_file_rewritten_since_is_read_again(tmp_path):
    path = tmp_path / "cache.pickle"
    store.save(path, "clé", "première")

    def load_save_load():
        seen = [store.load(path, "clé")]
        store.save(path, "clé", "seconde")  # as the build saves it
        return [*seen, store.load(path, "clé"), store.load(path, "une autre clé")]

    try:
        store.hold(tmp_path)
        assert in_a_fork(load_save_load) == ["première", "seconde", None]
    finally:
        store._held.clear()
