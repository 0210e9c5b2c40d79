"""The publication workflow (.github/workflows/deploy.yml): linted, and its steps run here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import BUILD_DATE, ROOT

WORKFLOWS = ROOT / ".github/workflows"
DEPLOY = WORKFLOWS / "deploy.yml"
BIN = Path(sys.executable).parent
# What GitHub Pages' configure-pages step gives a project site without a custom domain.
PAGES = {"steps.pages.outputs.base_url": "https://rees-estrie.github.io/vitrine",
         "steps.pages.outputs.base_path": "/vitrine"}  # fmt: skip


def workflow() -> dict:
    return yaml.safe_load(DEPLOY.read_text(encoding="utf-8"))


def build_steps() -> list[dict]:
    return workflow()["jobs"]["construire"]["steps"]


def uses(step: dict) -> str:
    return step.get("uses", "").split("@")[0]


def test_workflows_pass_the_schema_and_zizmor():
    files = sorted(str(path) for path in WORKFLOWS.glob("*.yml"))
    schema = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *files],
        capture_output=True,
        text=True,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = subprocess.run(
        [BIN / "zizmor", "--offline", "--config", ROOT / ".github/zizmor.yml", *files],
        capture_output=True,
        text=True,
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_a_merge_to_main_publishes_only_after_validation_build_and_audit():
    flow = workflow()
    assert flow[True]["push"]["branches"] == ["main"]  # YAML reads `on` as True
    steps = build_steps()
    runs = [step.get("run", "") for step in steps]
    order = [runs.index("make validate"), runs.index("make clean html"), runs.index("make audit")]
    upload = [i for i, step in enumerate(steps) if uses(step) == "actions/upload-pages-artifact"]
    assert order == sorted(order) and upload and upload[0] > order[-1]
    publish = flow["jobs"]["publier"]
    assert publish["needs"] == "construire"
    assert [uses(step) for step in publish["steps"]] == ["actions/deploy-pages"]
    # Only the publishing job may write to Pages.
    assert flow["permissions"] == {"contents": "read"}
    assert publish["permissions"] == {"pages": "write", "id-token": "write"}


def clean_checkout(destination: Path) -> Path:
    """The repository's files as a fresh checkout has them (no output/, no cache/)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file() and not name.startswith("tests/"):
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (destination / ".venv").symlink_to(ROOT / ".venv")
    return destination


def run_steps(checkout: Path) -> list[tuple[str, int]]:
    """Run the build job's shell steps in order, as the runner does; stop at a failure."""
    done = []
    for step in build_steps():
        if "run" not in step:
            continue
        env = {**os.environ, "VITRINE_BUILD_DATE": BUILD_DATE}
        for key, value in step.get("env", {}).items():
            expression = value.strip("${} ")
            env[key] = PAGES[expression]
        result = subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=checkout, env=env, capture_output=True
        )
        done.append((step["name"], result.returncode))
        if result.returncode:
            break
    return done


@pytest.fixture(scope="module")
def deployed(tmp_path_factory) -> Path:
    checkout = clean_checkout(tmp_path_factory.mktemp("checkout"))
    assert all(code == 0 for _, code in run_steps(checkout))
    return checkout


def test_what_is_uploaded_is_exactly_the_built_and_audited_output(deployed):
    upload = next(s for s in build_steps() if uses(s) == "actions/upload-pages-artifact")
    uploaded = (deployed / upload["with"]["path"]).resolve()
    assert uploaded == (deployed / "output").resolve()
    # The audit re-reads this very folder, and it holds the whole site, nothing else.
    files = {p.relative_to(uploaded).as_posix() for p in uploaded.rglob("*") if p.is_file()}
    assert {"index.html", "404.html", "sitemap.xml", "robots.txt"} <= files
    assert not any(name.startswith(("cache/", ".venv/", "content/")) for name in files)
    home = (uploaded / "index.html").read_text(encoding="utf-8")
    assert 'href="/vitrine/theme/css/vitrine.css"' in home
    assert '<link rel="canonical" href="https://rees-estrie.github.io/vitrine/">' in home
    not_found = (uploaded / "404.html").read_text(encoding="utf-8")
    # GitHub Pages serves 404.html at any depth: its links must be absolute paths.
    assert 'href="/vitrine/recherche/"' in not_found or 'action="/vitrine/recherche/"' in not_found


def test_an_invalid_listing_stops_the_workflow_before_anything_is_uploaded(tmp_path):
    checkout = clean_checkout(tmp_path)
    listing = checkout / "content/enterprises/coop-octet-libre.md"
    listing.write_text(
        listing.read_text(encoding="utf-8").replace("forme_juridique:", "forme_juridique: x\n#"),
        encoding="utf-8",
    )
    done = run_steps(checkout)
    assert done == [("Vérifier les fiches", 2)]
    assert not (checkout / "output").exists()
