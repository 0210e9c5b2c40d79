"""A year of SEAO releases: how long `make contrats` takes, and how much memory, at SEAO's size.

    python bench/contracts.py                      # 12 monthly files, 120,000 releases (~0.5 GB)
    python bench/contracts.py --releases 10000     # quicker, for development

Generates twelve monthly OCDS release packages shaped like SEAO's (parties with
addresses and ``details.neq``, a tender with UNSPSC items, awards, contracts;
about 2 % of the releases repeated in the next month, as SEAO does when a
contract's final amount comes in), then runs ``python -m vitrine contrats`` on
them in a process of its own, against the shipped sample content (its listed
NEQs and signatories), and prints wall time, CPU time and that process's peak
resident memory. Files go to bench/out/seao/ (git-ignored); the figures also to
bench/out/contrats.json. Nothing here is a test: no timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import measure  # noqa: E402

OUT = BENCH / "out"
PYTHON = sys.executable

# Signatories of the sample content, as SEAO names them: about 2 % of the releases.
SIGNATORIES = [
    "Ville de Sherbrooke",
    "Centre intégré universitaire de santé et de services sociaux de l'Estrie - Centre hospitalier universitaire de Sherbrooke",
    "Université de Sherbrooke",
]
BUYERS = [
    "Ministère des Transports et de la Mobilité durable",
    "Hydro-Québec",
    "Centre de services scolaire des Sommets",
    "Ville de Granby",
    "Société québécoise des infrastructures",
    "Ville de Montréal",
    "Centre intégré de santé et de services sociaux de la Montérégie-Centre",
]
METHODS = [
    "Contrat de gré à gré",
    "Appel d'offres public",
    "Appel d'offres sur invitation",
    "Contrat conclu en vertu d'un accord-cadre",
]
WORDS = [
    "entretien",
    "ménager",
    "réfection",
    "services",
    "professionnels",
    "fourniture",
    "équipements",
    "informatiques",
    "déneigement",
    "traiteur",
    "transport",
    "impression",
    "formation",
    "aménagement",
    "paysager",
    "réparation",
    "bâtiment",
    "laboratoire",
    "collecte",
    "matières",
    "résiduelles",
    "mobilier",
    "déménagement",
]


def _party(rng: random.Random, pid: str, name: str, role: str, neq: str | None) -> dict:
    party = {
        "id": pid,
        "name": name,
        "roles": [role],
        "address": {
            "streetAddress": f"{rng.randint(1, 9999)}, rue {rng.choice(WORDS).title()}",
            "locality": rng.choice(["Sherbrooke", "Granby", "Magog", "Montréal", "Québec"]),
            "region": "QC",
            "postalCode": f"J{rng.randint(0, 9)}H {rng.randint(0, 9)}N{rng.randint(0, 9)}",
            "countryName": "Canada",
        },
        "contactPoint": {"name": "Responsable", "telephone": "819 555-0100"},
    }
    if neq:
        party["details"] = {"neq": neq}
    return party


def release(rng: random.Random, number: int, month: int, year: int, listed: list[str]) -> dict:
    """One release shaped like SEAO's, about 3 to 5 KB of JSON."""
    ocid = f"ocds-ec9k95-{number}"
    day = rng.randint(1, 28)
    date = f"{year}-{month:02d}-{day:02d}T{rng.randint(8, 17):02d}:00:00-05:00"
    if rng.random() < 0.02:
        name = rng.choice(SIGNATORIES)
    else:
        name = f"{rng.choice(BUYERS)} {rng.randint(1, 400)}"  # ~4,000 buyers, none signatory
    buyer = _party(rng, f"B-{name}", name, "buyer", None)
    suppliers = []
    for index in range(rng.choice([1, 1, 1, 2, 3])):
        # About 1 % of the suppliers are listed enterprises; some have no NEQ.
        neq = rng.choice(listed) if rng.random() < 0.01 else f"11{rng.randint(0, 99_999_999):08d}"
        neq = None if rng.random() < 0.03 else neq
        suppliers.append(
            _party(rng, f"S-{number}-{index}", f"Entreprise {number}-{index} inc.", "supplier", neq)
        )
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8)))
    tender_only = rng.random() < 0.15
    awards = []
    contracts = []
    if not tender_only:
        for index, supplier in enumerate(suppliers):
            amount = round(rng.uniform(25_000, 2_000_000), 2)
            awards.append(
                {
                    "id": f"{number}-{index}",
                    "date": date,
                    "status": "active",
                    "title": title,
                    "suppliers": [{"id": supplier["id"], "name": supplier["name"]}],
                    "value": {"amount": amount, "currency": "CAD"},
                }
            )
            if rng.random() < 0.4:
                contracts.append(
                    {
                        "id": f"{number}-{index}-c",
                        "awardID": f"{number}-{index}",
                        "value": {
                            "amount": round(amount * rng.uniform(0.9, 1.2), 2),
                            "currency": "CAD",
                        },
                    }
                )
    return {
        "ocid": ocid,
        "id": f"{ocid}-{year}{month:02d}",
        "date": date,
        "tag": ["tender"] if tender_only else ["award", "contract"],
        "initiationType": "tender",
        "language": "fr",
        "parties": [buyer, *suppliers],
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "tender": {
            "id": str(number),
            "title": title,
            "description": " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 200))),
            "status": "complete",
            "procurementMethod": "open",
            "procurementMethodDetails": rng.choice(METHODS),
            "mainProcurementCategory": "services",
            "items": [
                {
                    "id": str(i),
                    "description": rng.choice(WORDS),
                    "classification": {
                        "scheme": "UNSPSC",
                        "id": str(rng.randint(10_000_000, 95_999_999)),
                    },
                }
                for i in range(rng.randint(1, 5))
            ],
            "tenderPeriod": {"startDate": date, "endDate": date},
        },
        "awards": awards,
        "contracts": contracts,
    }


def generate(folder: Path, releases: int, seed: int, listed: list[str], year: int = 2025) -> int:
    """Twelve monthly files, written one release at a time; returns their total bytes."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    per_month = releases // 12
    repeated: list[dict] = []
    total = 0
    for month in range(1, 13):
        path = folder / f"mensuel_{year}{month:02d}01_{year}{month:02d}28.json"
        with path.open("w", encoding="utf-8") as out:
            out.write('{"uri": "https://www.donneesquebec.ca/", "version": "1.1", "releases": [\n')
            first = True
            for item in repeated:  # last month's, again (a final amount came in)
                out.write(("" if first else ",\n") + json.dumps(item, ensure_ascii=False))
                first = False
            repeated = []
            for index in range(per_month):
                number = 1_000_000 + (month - 1) * per_month + index
                item = release(rng, number, month, year, listed)
                if rng.random() < 0.02:
                    repeated.append(item)
                out.write(("" if first else ",\n") + json.dumps(item, ensure_ascii=False))
                first = False
            out.write("\n]}\n")
        total += path.stat().st_size
    return total


def sample_content(folder: Path) -> tuple[Path, list[str]]:
    """The shipped content (listings, signatories, vocabularies), without its contracts."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in ("enterprises", "acheteurs"):
        shutil.copytree(ROOT / "content" / name, folder / name)
    (folder / "events").mkdir()
    shutil.copy(ROOT / "content/vocabulaires.yml", folder / "vocabulaires.yml")
    listed = []
    for path in sorted((folder / "enterprises").glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("neq:"):
                listed.append(line.split('"')[1])
    return folder, listed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=120_000, help="releases in the year")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="reuse bench/out/seao/ if there")
    args = parser.parse_args(argv)
    content, listed = sample_content(OUT / "contrats-content")
    seao = OUT / "seao"
    if args.keep and seao.is_dir():
        size = sum(p.stat().st_size for p in seao.glob("*.json"))
    else:
        size = generate(seao, args.releases, args.seed, listed)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    command = [PYTHON, "-m", "vitrine", "--settings", str(content / "none.py")]
    command += ["contrats", str(seao), "--content", str(content)]
    run = measure.run(command, OUT / "contrats.log", cwd=ROOT, env=env)
    if run.returncode:
        print(run.tail(), file=sys.stderr)
        return 1
    kept = len(list((content / "contrats").glob("*.json")))
    figures = {
        "releases": args.releases,
        "files": 12,
        "megabytes": round(size / 1e6, 1),
        "seconds": round(run.seconds, 1),
        "cpu_seconds": round(run.cpu_seconds, 1),
        "peak_rss_mib": round(run.peak_rss_kib / 1024, 1),
        "contracts_written": kept,
        "load_average": os.getloadavg()[0],
    }
    (OUT / "contrats.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(
        f"make contrats, une année de SEAO : {args.releases:,} publications en 12 fichiers, "
        f"{figures['megabytes']} Mo\n"
        f"  durée {figures['seconds']} s (CPU {figures['cpu_seconds']} s), "
        f"mémoire maximale {figures['peak_rss_mib']} Mio, {kept} contrats gardés\n"
        f"  (charge de la machine : {figures['load_average']:.1f})"
    )
    print(run.tail(8))
    return 0


if __name__ == "__main__":
    sys.exit(main())
