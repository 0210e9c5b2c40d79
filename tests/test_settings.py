"""One typed settings object: defaults once, checked at start, French errors naming the key."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import ROOT, build, make_content
from vitrine.settings import Settings, SettingsError, read


def test_defaults_are_written_once_and_typed():
    settings = read({}, environ={})
    assert settings.page_size == 100 and settings.workers is None and settings.incremental
    assert settings.layout.enterprises == Path("content/enterprises")
    assert settings.cache == Path("cache/vitrine")
    # pelicanconf.py holds no Vitrine default that the settings module does not know.
    assert set(Settings.model_fields) >= {"site_url", "digest_sender_name", "feed_size"}


def test_wrong_values_are_all_reported_in_french_with_their_key():
    with pytest.raises(SettingsError) as caught:
        read(
            {"VITRINE_PAGE_SIZE": "cent", "VITRINE_WORKERS": 0, "VITRINE_INCREMENTAL": "peut-être"},
            environ={},
        )
    message = str(caught.value)
    assert message.startswith("Vitrine : réglage invalide dans pelicanconf.py")
    assert "VITRINE_PAGE_SIZE : doit être un nombre entier, pas « cent »" in message
    assert "VITRINE_WORKERS : doit être plus grand que 0, pas « 0 »" in message
    assert "VITRINE_INCREMENTAL : doit être True ou False, pas « peut-être »" in message


def test_an_unknown_key_is_reported_with_a_guess():
    with pytest.raises(
        SettingsError,
        match="VITRINE_PAGESIZE : réglage inconnu : vouliez-vous dire « VITRINE_PAGE_SIZE »",
    ):
        read({"VITRINE_PAGESIZE": 50}, environ={})


def test_a_wrong_build_date_is_reported_before_the_build():
    with pytest.raises(SettingsError, match="VITRINE_BUILD_DATE : date invalide « 27/11/2026 »"):
        read({"VITRINE_BUILD_DATE": "27/11/2026"}, environ={})


def test_an_environment_variable_wins_for_the_keys_a_deploy_sets():
    settings = read(
        {"VITRINE_SITE_URL": "https://a.example", "VITRINE_PAGE_SIZE": 10},
        environ={"VITRINE_SITE_URL": "https://b.example", "VITRINE_PAGE_SIZE": "20"},
    )
    assert settings.site_url == "https://b.example"
    assert settings.page_size == 10  # not a key the environment sets
    assert settings.absolute_url("flux/") == "https://b.example/flux/"


def test_a_build_with_a_wrong_setting_stops_with_the_french_message(tmp_path):
    content = make_content(tmp_path)
    with pytest.raises(SettingsError, match="VITRINE_FEED_SIZE : doit être un nombre entier"):
        build(content, tmp_path / "out", VITRINE_FEED_SIZE="beaucoup")


def test_the_command_line_reads_pelicanconf_like_the_build(tmp_path):
    """A folder set in pelicanconf.py is the one `python -m vitrine validate` checks."""
    content = make_content(tmp_path)
    (content / "enterprises").rename(content / "fiches")
    listing = (ROOT / "tests/fixtures/invalid/enterprises/bad-email.md").read_text("utf-8")
    (content / "fiches/mauvaise.md").write_text(listing, encoding="utf-8")
    conf = tmp_path / "pelicanconf.py"
    conf.write_text(
        textwrap.dedent(f"""
            PATH = {str(content)!r}
            VITRINE_ENTERPRISES = "fiches"
        """),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "vitrine", "--settings", str(conf), "validate"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "fiches/mauvaise.md:" in result.stdout
    conf.write_text(conf.read_text() + "VITRINE_PAGE_SIZE = -1\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "vitrine", "--settings", str(conf), "validate"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "VITRINE_PAGE_SIZE" in result.stderr
