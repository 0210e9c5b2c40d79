"""content/contrats/: the SEAO contracts ``make contrats`` kept, read by every build.

Each file is one contracting process (``<ocid>.json``), written by seao.py from
SEAO's open data and committed like any content. The build reads these small
files only, never SEAO's monthly files, and validates them like listings: a
file edited by hand into something wrong stops the build with its name.

A rebuild does not read them again when none changed: the parsed contracts are
kept in the cache folder under the folder's list of (name, size, mtime) — the
same list means the same files. A git checkout that resets mtimes only costs
one reading.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from .. import store
from ..problems import Problem
from .explain import explain, field_name
from .model import Contract
from .record_cache import code_version, sha256
from .schema import ContractData

CACHE_FILE = "contrats.pickle"
MAX_FILE_BYTES = 1024 * 1024  # one process: a few KB; more is not what seao.py writes


def contract_files(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith((".", "_")))


def read_contract(path: Path) -> tuple[Contract | None, list[Problem]]:
    """One file → a Contract, or the problems that make it unusable (in French)."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        return None, [Problem(path, 1, "", f"fichier illisible : {err.strerror}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(path, 1, "", "fichier trop volumineux pour un contrat")]
    try:
        data = json.loads(raw.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        return None, [Problem(path, 1, "", "le fichier n'est pas encodé en UTF-8")]
    except json.JSONDecodeError as err:
        return None, [
            Problem(
                path,
                err.lineno,
                "",
                f"JSON invalide ({err.msg}) : régénérez le fichier avec « make contrats »",
            )
        ]
    try:
        record = ContractData.model_validate(data)
    except ValidationError as err:
        problems = []
        for error in err.errors(include_url=False):
            loc, message = explain(error, ContractData)
            problems.append(Problem(path, 1, field_name(loc), message))
        return None, problems
    expected = file_name(record.ocid)
    if path.name != expected:
        return None, [Problem(path, 1, "ocid", f"le fichier doit s'appeler « {expected} »")]
    return Contract(record, path, sha256(raw).hex()), []


def file_name(ocid: str) -> str:
    """The file of one process: its ocid, kept to characters every file system accepts."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in ocid) + (
        ".json"
    )


def _stamp(paths: list[Path]) -> list[tuple[str, int, int]]:
    stamps = []
    for path in paths:
        stat = path.stat()
        stamps.append((path.name, stat.st_size, stat.st_mtime_ns))
    return stamps


def load_contracts(
    folder: Path | None, cache_dir: Path | None = None
) -> tuple[list[Contract], list[Problem]]:
    """Every contract file, validated; from the cache when the folder is unchanged."""
    paths = contract_files(folder)
    if not paths:
        return [], []
    key = (code_version(), str(folder.resolve()), _stamp(paths))
    cache = cache_dir / CACHE_FILE if cache_dir is not None else None
    kept = store.load(cache, key)
    if isinstance(kept, list):
        return kept, []
    contracts, problems = [], []
    for path in paths:
        contract, found = read_contract(path)
        problems += found
        if contract is not None:
            contracts.append(contract)
    contracts.sort(key=lambda c: c.data.ocid)
    if not problems:
        store.save(cache, key, contracts)
    return contracts, problems
