"""The benchmark's corpus generator stays in step with the content model (no timing here)."""

import sys

from helpers import BUILD_DATE, ROOT
from vitrine.content.load import load_directory
from vitrine.content.reader import read_source
from vitrine.settings import Layout
from vitrine.settings import read as read_vitrine_settings

sys.path.insert(0, str(ROOT / "bench"))

import baselines
import corpus


def test_generated_corpus_passes_the_validator(tmp_path, vocabularies):
    generated = corpus.generate(tmp_path / "content", enterprises=20, events=4, seed=7)
    layout = Layout(generated.content / "enterprises", generated.content / "events")
    directory, problems = load_directory(
        layout, vocabularies, read_vitrine_settings({"VITRINE_BUILD_DATE": BUILD_DATE}).build_time()
    )
    assert problems == []
    assert len(directory.enterprises) == 20
    assert len(directory.events) == 4
    assert all(event.enterprises for event in directory.events)


def test_generated_listings_fill_every_field(tmp_path):
    generated = corpus.generate(tmp_path / "content", enterprises=3, events=0, seed=7)
    from vitrine.content.schema import EnterpriseData

    for path in sorted(generated.enterprises.glob("*.md")):
        source = read_source(path)
        assert set(source.data) == set(EnterpriseData.model_fields), path.name
        assert source.body.count("\n\n") >= 2  # a description of a few paragraphs


def test_same_seed_gives_the_same_files(tmp_path):
    first = corpus.generate(tmp_path / "a", enterprises=5, events=2, seed=3)
    second = corpus.generate(tmp_path / "b", enterprises=5, events=2, seed=3)
    files = sorted(p.relative_to(first.content) for p in first.content.rglob("*.md"))
    assert files == sorted(p.relative_to(second.content) for p in second.content.rglob("*.md"))
    assert all((first.content / f).read_bytes() == (second.content / f).read_bytes() for f in files)


def test_baseline_articles_carry_the_listing_bodies(tmp_path):
    generated = corpus.generate(tmp_path / "content", enterprises=3, events=1, seed=7)
    bare = baselines.write_bare(generated.articles, tmp_path / "bare")
    pages = sorted(bare.rglob("*.md"))
    assert len(pages) == 4
    article = generated.articles[0]
    text = (bare / article.section / f"{article.slug}.md").read_text(encoding="utf-8")
    assert text.startswith(f"Title: {article.title}\n")
    assert article.body in text


def test_generated_seao_year_is_what_make_contrats_reads(tmp_path):
    """bench/contracts.py's monthly files: valid release packages, listed NEQs among them."""
    import contracts
    from vitrine.content import seao

    listed = ["1172034598"]
    contracts.generate(tmp_path, releases=240, seed=2, listed=listed)
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 12
    read = [r for path in files for r in seao.releases(path)]
    assert len(read) >= 240  # some repeated in the next month
    assert all(r["ocid"].startswith("ocds-") for r in read)
