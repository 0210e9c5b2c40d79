"""The audit re-reads a built site and names every listing or event an output lost.

Each test copies the sample site built once for the session, damages one
output the way a failed step or a hand edit would, and runs the audit as a
person would: ``python -m vitrine audit <folder>``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import icalendar
import pytest
from helpers import BUILD_DATE, ROOT, build, load_sample, make_content
from vitrine import urls
from vitrine.build.audit import audit
from vitrine.build.site import Report
from vitrine.outputs.search import shards


def run_audit(output: Path, content: Path = ROOT / "content") -> subprocess.CompletedProcess:
    """The command a deploy runs before publishing."""
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "plugins"),
        "VITRINE_BUILD_DATE": BUILD_DATE,
    }
    return subprocess.run(
        [sys.executable, "-m", "vitrine", "audit", str(output), "--content", str(content)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def site(sample_site, tmp_path) -> Path:
    """A copy of the sample site, to damage."""
    return Path(shutil.copytree(sample_site, tmp_path / "output"))


@pytest.fixture(scope="module")
def sample():
    return load_sample()


def test_a_complete_site_passes(site):
    result = run_audit(site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "26 entreprises et 10 événements valides" in result.stderr


def test_a_missing_enterprise_page_is_named(site, sample):
    lost = sample.enterprises[3].slug
    shutil.rmtree(site / "entreprises" / lost)
    result = run_audit(site)
    assert result.returncode == 1
    assert f"pages d'entreprises : manque {lost} (1 entreprise sur 26)" in result.stdout
    assert result.stdout.count("\n") == 1  # nothing else is wrong


def test_a_missing_english_twin_and_its_search_record_are_named(site, sample):
    lost = sample.enterprises[5].slug
    shutil.rmtree(site / "en/entreprises" / lost)
    bundle = site / "en/pagefind/0"
    for name in shards.records(bundle):
        if shards.fragment_page(bundle, name) == f"en/entreprises/{lost}/index.html":
            (bundle / "fragment" / f"{name}.pf_fragment").unlink()
    result = run_audit(site)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{site}: pages d'entreprises (en/) : manque {lost} (1 entreprise sur 26)",
        f"{site}: index de recherche (en/) : manque {lost} (1 entreprise sur 26)",
    ]


def test_a_missing_csv_row_is_named(site, sample):
    lost = sample.enterprises[0].slug
    path = site / "donnees/entreprises.csv"
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    kept = [row for row in rows if row[0] != lost]
    assert len(kept) == len(rows) - 1
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(kept)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    result = run_audit(site)
    assert result.returncode == 1
    assert f"donnees/entreprises.csv : manque {lost} (1 entreprise sur 26)" in result.stdout
    assert "donnees/entreprises.json" not in result.stdout


def test_a_missing_json_row_and_an_extra_one_are_named(site, sample):
    path = site / "donnees/entreprises.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    lost = document["entreprises"].pop()["code"]
    document["entreprises"].append({**document["entreprises"][0], "code": "fantome"})
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run_audit(site)
    assert result.returncode == 1
    assert f"donnees/entreprises.json : manque {lost}" in result.stdout
    assert "donnees/entreprises.json : entreprises en trop, sans fiche valide : fantome" in (
        result.stdout
    )


def test_a_missing_search_record_is_named(site, sample):
    lost = sample.enterprises[5].slug
    bundle = site / "pagefind/0"
    for name in shards.records(bundle):
        if shards.fragment_page(bundle, name) == f"entreprises/{lost}/index.html":
            (bundle / "fragment" / f"{name}.pf_fragment").unlink()
    result = run_audit(site)
    assert result.returncode == 1
    assert f"index de recherche : manque {lost} (1 entreprise sur 26)" in result.stdout


def test_an_event_missing_from_the_calendar_feed_is_named(site, sample):
    path = site / "evenements/calendrier.ics"
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    lost = calendar.walk("VEVENT")[2]
    calendar.subcomponents.remove(lost)
    path.write_bytes(calendar.to_ical())
    slug = str(lost["URL"]).rstrip("/").rsplit("/", 1)[-1]
    assert slug in {e.slug for e in sample.events}
    result = run_audit(site)
    assert result.returncode == 1
    assert f"evenements/calendrier.ics : manque {slug} (1 événement sur 10)" in result.stdout


def test_a_page_left_from_a_removed_listing_is_extra(site):
    shutil.copytree(
        site / "entreprises" / os.listdir(site / "entreprises")[0], site / "entreprises/partie"
    )
    result = run_audit(site)
    assert result.returncode == 1
    assert "pages d'entreprises : entreprises en trop, sans fiche valide : partie" in result.stdout


def test_a_file_an_output_reported_but_did_not_write_is_named(site, sample):
    assert audit(site, sample, [Report("fil Atom", (urls.news_feed(), "absent.xml"))]) == [
        "fil Atom : fichier annoncé mais absent : absent.xml"
    ]


def test_a_folder_without_a_site_is_an_error(tmp_path):
    result = run_audit(tmp_path / "rien")
    assert result.returncode == 1
    assert "dossier introuvable" in result.stdout


def test_the_build_runs_the_audit_and_stops(tmp_path, monkeypatch):
    """An output that loses a listing stops the build with its name (not only the command)."""
    from vitrine.build import generator
    from vitrine.build.audit import LostListingsError

    listing = (ROOT / "tests/fixtures/valid/enterprises/coop-exemple.md").read_text("utf-8")
    content = make_content(tmp_path, {"enterprises/a.md": listing, "enterprises/b.md": listing})

    def lose_a_row(site):
        written = generator.exports.write(site)
        path = site.output / "donnees/entreprises.json"
        document = json.loads(path.read_text(encoding="utf-8"))
        document["entreprises"] = [r for r in document["entreprises"] if r["code"] != "b"]
        path.write_text(json.dumps(document), encoding="utf-8")
        return written

    monkeypatch.setattr(generator, "OUTPUTS", (lose_a_row, *generator.OUTPUTS[1:]))
    with pytest.raises(LostListingsError, match=r"donnees/entreprises.json : manque b \("):
        build(content, tmp_path / "out")


def test_a_rebuild_reads_again_each_file_changed_since_the_last_audit(site, sample):
    """The build's audit skips files unchanged since it last read them (Memo), not others."""
    from vitrine.build.audit import Memo

    first = Memo()
    assert audit(site, sample, languages=["en"], memo=first) == []
    path = site / urls.directory_csv()
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8-sig")  # a row lost
    for fragment in (site / "pagefind/0/fragment").glob("*.pf_fragment"):
        fragment.write_bytes(b"")  # the records lost too
        break
    again = Memo(first.fresh)
    lost = audit(site, sample, languages=["en"], memo=again)
    assert any(line.startswith(urls.directory_csv()) for line in lost), lost
    assert any(line.startswith("index de recherche :") for line in lost), lost
    assert len(again.fresh) == len(first.fresh)  # what is kept for the next build
