"""SEAO's open data → content/contrats/: the releases that concern the directory.

Québec publishes every public contract of 25,000 $ or more on SEAO, and SEAO's
open data (Données Québec, monthly files since 2021, e.g.
``mensuel_20250101_20250131.json``) is an OCDS 1.1 release package: a
``releases`` array, each release with ``ocid``, ``date``, ``parties``, ``buyer``,
``tender``, ``awards`` and ``contracts``. ``make contrats SEAO="<files or
folder>"`` reads them here, one release at a time (ijson: a year of files is
hundreds of MB, never held in memory at once), keeps the releases whose
supplier is a listed enterprise (by NEQ) or whose buyer is a signatory
(content/acheteurs/), and writes each process as one small file,
``content/contrats/<ocid>.json``, with French keys (schema.ContractData).

Facts this relies on:

* the SEAO notice number is the last part of the ocid (``ocds-ec9k95-1234567``);
* the supplier's NEQ is in ``parties[].details.neq`` in SEAO's files, and in
  ``parties[].identifier`` (scheme ``CA-QC-NEQ``) for other OCDS publishers:
  both are read;
* ``awards[].value.amount`` is the amount awarded, ``contracts[].value.amount``
  (``awardID`` → the award) the final amount when known; amounts in CAD;
* the same process appears again in a later month (the final amount, an
  amendment): releases are merged by ocid, the most recent value of each field
  winning, so that two files carrying the same release count it once, and
  running the command again over overlapping files changes nothing.

Releases without a supplier (a tender only) or without any supplier NEQ are
counted and skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import ijson

from ..problems import BuildError
from .contracts import file_name
from .model import Buyer, buyer_matches
from .schema import TIMEZONE

NEQ_SCHEME = "CA-QC-NEQ"
UNSPSC = "UNSPSC"


class SeaoError(BuildError):
    """A file `make contrats` cannot read: its name and what is wrong, in French."""


@dataclass
class Summary:
    """What one run read, kept, skipped and wrote."""

    files: int = 0
    releases: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason → releases
    kept: int = 0  # releases kept (a process seen twice counts twice)
    processes: set = field(default_factory=set)  # ocids kept
    repeated: int = 0  # releases of a process already seen in this run
    written: list[Path] = field(default_factory=list)  # files created or changed
    unchanged: int = 0


SKIP_REASONS = {
    "sans-ocid": "sans ocid",
    "sans-fournisseur": "sans fournisseur (avis sans adjudication)",
    "sans-neq": "sans NEQ de fournisseur",
    "sans-date": "sans date",
    "hors-repertoire": "ni entreprise du répertoire ni signataire",
}


# --- reading SEAO's files --------------------------------------------------------


def seao_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files given, folders opened (their *.json, sorted); a missing one is an error."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.json") if p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise SeaoError(f"{path} : fichier ou dossier introuvable")
    if not found:
        raise SeaoError(
            "aucun fichier JSON de SEAO à lire : indiquez les fichiers mensuels ou leur "
            'dossier, par exemple make contrats SEAO="~/Téléchargements/seao"'
        )
    return found


def releases(path: Path) -> Iterator[Any]:
    """Each release of one file, read as a stream; SeaoError when the file is not one."""
    count = 0
    try:
        with path.open("rb") as stream:
            for release in ijson.items(stream, "releases.item"):
                count += 1
                yield release
    except OSError as err:
        raise SeaoError(f"{path} : fichier illisible : {err.strerror}") from None
    except ijson.JSONError as err:
        raise SeaoError(
            f"{path} : JSON invalide ou tronqué après {count} publications ({err}) : "
            "téléchargez ce fichier de nouveau depuis Données Québec"
        ) from None
    if count == 0 and not _is_release_package(path):
        raise SeaoError(
            f"{path} : ce n'est pas un fichier de publications de SEAO : aucune liste "
            "« releases » (attendu : un paquet de publications OCDS, comme les fichiers "
            "mensuels mensuel_AAAAMMJJ_AAAAMMJJ.json de Données Québec)"
        )


def _is_release_package(path: Path) -> bool:
    """An empty month still names its ``releases``: look for the key itself."""
    try:
        with path.open("rb") as stream:
            for prefix, event, value in ijson.parse(stream):
                if prefix == "" and event == "map_key" and value == "releases":
                    return True
    except ijson.JSONError:
        return False
    return False


# --- one release → one record ---------------------------------------------------


def _get(mapping: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = " ".join(str(value).split())
    return text or None


def _neq(value: Any) -> str | None:
    digits = re.sub(r"\s", "", str(value or ""))
    return digits if re.fullmatch(r"\d{10}", digits) else None


def party_neq(party: Any) -> str | None:
    """SEAO's ``details.neq``, else an identifier of scheme CA-QC-NEQ."""
    if not isinstance(party, dict):
        return None
    found = _neq(_get(party, "details", "neq"))
    if found:
        return found
    identifiers = [party.get("identifier"), *(party.get("additionalIdentifiers") or [])]
    for identifier in identifiers:
        if isinstance(identifier, dict) and identifier.get("scheme") == NEQ_SCHEME:
            found = _neq(identifier.get("id"))
            if found:
                return found
    return None


def _moment(value: Any) -> str | None:
    text = _text(value)
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=TIMEZONE)).isoformat()


def _amount(value: Any) -> Decimal | None:
    amount = _get(value, "amount")
    if isinstance(amount, (int, Decimal)) or (isinstance(amount, str) and amount.strip()):
        try:
            amount = Decimal(str(amount).strip())
        except ArithmeticError:
            return None
        return amount if amount.is_finite() and amount >= 0 else None
    if isinstance(amount, float):
        return Decimal(str(amount))
    return None


def _party(reference: Any, parties: dict) -> dict | None:
    if not isinstance(reference, dict):
        return None
    party = parties.get(reference.get("id"), {})
    name = _text(reference.get("name")) or _text(_get(party, "name"))
    if not name:
        return None
    return {"nom": name, "neq": party_neq(party) or party_neq(reference)}


def normalise(release: Any) -> tuple[dict | None, str]:
    """A release → (record with French keys, "") or (None, the reason it is skipped)."""
    ocid = _text(_get(release, "ocid"))
    if not ocid:
        return None, "sans-ocid"
    listed = release.get("parties") if isinstance(release.get("parties"), list) else []
    parties = {p.get("id"): p for p in listed if isinstance(p, dict)}
    buyer = _party(release.get("buyer"), parties)
    if buyer is None:  # the party whose role is buyer
        roles = [p for p in listed if isinstance(p, dict) and "buyer" in (p.get("roles") or [])]
        buyer = _party(roles[0], parties) if roles else None
    finals: dict[str, Decimal] = {}
    for contract in release.get("contracts") or []:
        amount = _amount(_get(contract, "value"))
        award_id = _text(_get(contract, "awardID"))
        if amount is not None and award_id:
            finals[award_id] = finals.get(award_id, Decimal(0)) + amount
    awards = []
    for number, award in enumerate(release.get("awards") or [], start=1):
        if not isinstance(award, dict):
            continue
        suppliers = [_party(s, parties) for s in award.get("suppliers") or []]
        suppliers = [s for s in suppliers if s]
        if not suppliers:
            continue
        award_id = _text(award.get("id")) or str(number)
        awards.append(
            {
                "id": award_id,
                "date": _moment(award.get("date")),
                "fournisseurs": suppliers,
                "montant": _amount(award.get("value")),
                "montant_final": finals.get(award_id),
            }
        )
    if not awards:
        return None, "sans-fournisseur"
    if not any(s["neq"] for a in awards for s in a["fournisseurs"]):
        return None, "sans-neq"
    tender = release.get("tender") if isinstance(release.get("tender"), dict) else {}
    codes = set()
    for item in tender.get("items") or []:
        for classification in [
            _get(item, "classification"),
            *(_get(item, "additionalClassifications") or []),
        ]:
            scheme = _get(classification, "scheme")
            code = _text(_get(classification, "id"))
            if code and scheme in (None, UNSPSC):
                codes.add(code)
    date = _moment(release.get("date")) or next((a["date"] for a in awards if a["date"]), None)
    if date is None:
        return None, "sans-date"
    record = {
        "ocid": ocid,
        "avis": ocid.rsplit("-", 1)[-1],
        "date": date,
        "acheteur": buyer,
        "titre": _text(tender.get("title")) or _text(release.get("title")),
        "mode": _text(tender.get("procurementMethodDetails")),
        "unspsc": sorted(codes),
        "attributions": awards,
    }
    return record, ""


def concerns(record: dict, neqs: set[str], buyers: list[Buyer]) -> bool:
    """Whether a supplier is a listed enterprise, or the buyer a signatory."""
    if any(s["neq"] in neqs for a in record["attributions"] for s in a["fournisseurs"]):
        return True
    buyer = record["acheteur"]
    return buyer is not None and any(buyer_matches(b, buyer["nom"], buyer["neq"]) for b in buyers)


# --- merging releases of one process --------------------------------------------


def _when(record: dict) -> tuple:
    """Order of two releases: the later date, then the bytes (any order gives one result)."""
    moment = record.get("date")
    when = dt.datetime.fromisoformat(moment).timestamp() if moment else float("-inf")
    return (when, json.dumps(record, sort_keys=True, default=str))


def _newest(older: dict, newer: dict) -> dict:
    merged = dict(older)
    merged.update({k: v for k, v in newer.items() if v not in (None, "", [])})
    return merged


def merge(first: dict, second: dict) -> dict:
    """One record of two releases of a process: nothing lost, nothing counted twice."""
    older, newer = sorted((first, second), key=_when)
    merged = _newest(older, newer)
    awards = {a["id"]: a for a in older["attributions"]}
    for award in newer["attributions"]:
        awards[award["id"]] = _newest(awards.get(award["id"], {}), award)
    merged["attributions"] = sorted(awards.values(), key=lambda a: a["id"])
    merged["unspsc"] = sorted(set(older.get("unspsc") or []) | set(newer.get("unspsc") or []))
    if older.get("exemple") or newer.get("exemple"):
        merged["exemple"] = True
    return merged


# --- the command ----------------------------------------------------------------


def collect(paths: list[Path], neqs: set[str], buyers: list[Buyer], summary: Summary) -> dict:
    """Every release of every file, one at a time → the kept processes, merged by ocid."""
    kept: dict[str, dict] = {}
    for path in paths:
        summary.files += 1
        for release in releases(path):
            summary.releases += 1
            record, reason = normalise(release)
            if record is not None and not concerns(record, neqs, buyers):
                record, reason = None, "hors-repertoire"
            if record is None:
                summary.skipped[reason] += 1
                continue
            summary.kept += 1
            ocid = record["ocid"]
            if ocid in kept:
                summary.repeated += 1
                record = merge(kept[ocid], record)
            kept[ocid] = record
    return kept


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(type(value).__name__)


def dumps(record: dict) -> str:
    """A record as the file writes it: readable, stable, one value per line."""
    order = ("ocid", "avis", "date", "acheteur", "titre", "mode", "unspsc", "attributions")
    clean = {k: record[k] for k in order if record.get(k) not in (None, "")}
    clean["attributions"] = [
        {k: v for k, v in a.items() if v is not None} for a in record["attributions"]
    ]
    for award in clean["attributions"]:
        award["fournisseurs"] = [
            {k: v for k, v in s.items() if v is not None} for s in award["fournisseurs"]
        ]
    if clean.get("acheteur"):
        clean["acheteur"] = {k: v for k, v in clean["acheteur"].items() if v is not None}
    if record.get("exemple"):
        clean["exemple"] = True
    return json.dumps(clean, ensure_ascii=False, indent=2, default=_json_value) + "\n"


def write(kept: dict[str, dict], folder: Path, summary: Summary) -> None:
    """One file per process; merged with the file already there; unchanged files untouched."""
    folder.mkdir(parents=True, exist_ok=True)
    for ocid in sorted(kept):
        record = kept[ocid]
        path = folder / file_name(ocid)
        before = None
        if path.is_file():
            before = path.read_text(encoding="utf-8")
            try:
                existing = json.loads(before, parse_float=Decimal)
            except json.JSONDecodeError as err:
                raise SeaoError(
                    f"{path} : JSON invalide ({err.msg}, ligne {err.lineno}) : corrigez-le "
                    "ou supprimez-le, puis relancez make contrats"
                ) from None
            record = merge(existing, record)
        text = dumps(record)
        if text == before:
            summary.unchanged += 1
            continue
        path.write_text(text, encoding="utf-8")
        summary.written.append(path)


def run(paths: list[Path], folder: Path, neqs: set[str], buyers: list[Buyer]) -> Summary:
    """Read SEAO's files, then write content/contrats/: nothing is written if a file fails."""
    summary = Summary()
    kept = collect(paths, neqs, buyers, summary)
    summary.processes = set(kept)
    write(kept, folder, summary)
    return summary
