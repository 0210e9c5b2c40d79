"""Command line for contributors and CI.

``python -m vitrine validate [paths…] [--changed-since BASE] [--format text|github|json]``
prints every problem (as ``path:line: field: message``, as CI annotations, or as
JSON) and exits 1 when there is any, 0 when all is valid, 2 when git can't say
what changed. ``python -m vitrine schema`` prints or writes the JSON Schemas.
``python -m vitrine digest AAAA-MM`` writes the digest file of a month
(``content/digests/AAAA-MM.md``) unless it exists.
``python -m vitrine audit [output]`` re-reads a built site and exits 1, naming
what is missing or extra, unless every output holds every valid listing and event.
``python -m vitrine a-verifier`` prints the listings not updated for
``VITRINE_STALE_MONTHS`` at the build date, oldest first, with whom to ask.

Every command reads the settings of ``pelicanconf.py`` (``--settings``), as the
build does.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

from .build.audit import audit as audit_output
from .content import seao
from .content.changes import ChangesError, changed_content, repository_root
from .content.history import apply_dates, file_commits, repository_dates
from .content.load import load_directory
from .content.schema_export import SCHEMAS, all_schemas, stale_files, write_all
from .content.vocabulary import VocabularyError, load_vocabularies
from .formatting import count, date_fr
from .outputs.digest.issues import load_digests
from .outputs.digest.publish import new_issue
from .problems import Problem
from .settings import Layout, Settings, SettingsError, from_file

SCHEMA_FOLDER = "schemas"
NOT_FOUND = "fichier introuvable : vérifiez son nom et son dossier"
NOT_A_LISTING = (
    "ce fichier n'est pas une fiche : les fiches sont dans content/enterprises/ "
    "et les événements dans content/events/"
)


# --- Output formats ------------------------------------------------------------


def _shown(path: Path, root: Path) -> str:
    """A path relative to ``root`` when it is inside, else as given."""
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(path)


def _escape(text: str, is_property: bool = False) -> str:
    """GitHub workflow-command escaping (data, or ``key=value`` properties)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if is_property else text


def annotation(problem: Problem, root: Path) -> str:
    """One ``::error`` line: the forge shows it on the file's line in the pull request."""
    title = f"Champ « {problem.field} »" if problem.field else "Fichier à corriger"
    message = f"{problem.field} : {problem.message}" if problem.field else problem.message
    properties = ",".join(
        f"{key}={_escape(value, is_property=True)}"
        for key, value in (
            ("file", _shown(problem.path, root)),
            ("line", str(problem.line)),
            ("title", title),
        )
    )
    return f"::error {properties}::{_escape(message)}"


def step_summary(problems: list[Problem], root: Path) -> str:
    """A Markdown table for the CI run's summary page, every problem in one place."""
    if not problems:
        return "### Vérification des fiches : tout est valide ✅\n"
    cell = lambda text: text.replace("|", "\\|").replace("\n", " ")  # noqa: E731
    rows = [
        f"| {cell(_shown(p.path, root))} | {p.line} | {cell(p.field) or '—'} | {cell(p.message)} |"
        for p in problems
    ]
    return "\n".join(
        [
            f"### Vérification des fiches : {len(problems)} problème(s) à corriger",
            "",
            "| Fichier | Ligne | Champ | Quoi faire |",
            "|---|---|---|---|",
            *rows,
            "",
        ]
    )


def report(problems: list[Problem], fmt: str, root: Path) -> None:
    if fmt == "json":
        rows = [{**p.as_dict(), "path": _shown(p.path, root)} for p in problems]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "github":
        for problem in problems:
            print(annotation(problem, root))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            with open(summary, "a", encoding="utf-8") as out:
                out.write(step_summary(problems, root))
    else:
        cwd = Path.cwd().resolve()
        for p in problems:
            print(Problem(Path(_shown(p.path, cwd)), p.line, p.field, p.message))


# --- validate --------------------------------------------------------------------


def _explicit(paths: list[str], folders: tuple[Path, ...]) -> tuple[set[Path], list[Problem]]:
    """Files named on the command line, and problems for those that can't be listings."""
    selected, problems = set(), []
    for name in paths:
        path = Path(name)
        if not path.is_file():
            problems.append(Problem(path, 1, "", NOT_FOUND))
        elif not any(path.resolve().is_relative_to(f.resolve()) for f in folders):
            problems.append(Problem(path, 1, "", NOT_A_LISTING))
        else:
            selected.add(path.resolve())
    return selected, problems


def _selection(
    args: argparse.Namespace, where: Layout, vocabulary_file: Path
) -> tuple[set[Path] | None, list[Problem]]:
    """Which files to report on (None: all), and problems found while choosing.

    Raises ChangesError when git can't say what changed.
    """
    selected: set[Path] | None = None
    problems: list[Problem] = []
    if args.paths:
        folders = [f for f in (where.enterprises, where.events, where.buyers) if f is not None]
        selected, problems = _explicit(args.paths, tuple(folders))
    if not args.changed_since:
        return selected, problems
    changes = changed_content(where, vocabulary_file, args.changed_since)
    if changes.everything:
        print(f"{changes.reason} : tout le contenu est vérifié.", file=sys.stderr)
        return None, problems
    # Files the site would not read are reported by load_directory, as in a full check.
    selected = (selected or set()) | changes.files | changes.ignored
    if not selected and not problems:
        print(
            f"Aucune fiche ni aucun événement modifié depuis {args.changed_since} : "
            "rien à vérifier.",
            file=sys.stderr,
        )
    return selected, problems


def _settings(args: argparse.Namespace) -> Settings:
    """pelicanconf.py's settings; ``--content`` moves the content folder."""
    settings = from_file(args.settings)
    if args.content:
        settings = settings.model_copy(update={"content": Path(args.content)})
    return settings


def validate(args: argparse.Namespace) -> int:
    settings = _settings(args)
    content = settings.content
    where = settings.layout
    vocabulary_file = settings.vocabularies_path
    root = repository_root(content if content.is_dir() else Path.cwd()) or Path.cwd().resolve()
    try:
        vocabularies = load_vocabularies(vocabulary_file)
    except VocabularyError as err:
        report([Problem(vocabulary_file, err.line, "", err.message)], args.format, root)
        return 1
    try:
        selected, problems = _selection(args, where, vocabulary_file)
    except ChangesError as err:
        print(f"Impossible de trouver les fichiers modifiés : {err}", file=sys.stderr)
        return 2
    # Every file is read even when only some are reported: events must still
    # find the listings they name, and two files must not claim one address.
    directory, found = load_directory(where, vocabularies, settings.build_time())
    found += load_digests(settings.digests_path)[1]
    if selected is not None:
        found = [p for p in found if p.path.resolve() in selected]
    problems = sorted(problems + found, key=lambda p: (p.path.resolve(), p.line, p.field))
    report(problems, args.format, root)
    if problems:
        files = len({p.path.resolve() for p in problems})
        print(
            f"{count(len(problems), 'problème', 'problèmes')} dans "
            f"{count(files, 'fichier', 'fichiers')}.",
            file=sys.stderr,
        )
    elif selected is None:
        counts = len(directory.enterprises), len(directory.events)
        more = ""
        if directory.buyers or directory.contracts:
            more = (
                f", {count(len(directory.buyers), 'signataire', 'signataires')}, "
                f"{count(len(directory.contracts), 'contrat', 'contrats')}"
            )
        print(
            f"Tout est valide : {count(counts[0], 'fiche', 'fiches')}, "
            f"{count(counts[1], 'événement', 'événements')}{more}.",
            file=sys.stderr,
        )
    elif selected:
        checked = sum(1 for path in selected if path.is_file())
        print(
            f"Tout est valide : {count(checked, 'fichier vérifié', 'fichiers vérifiés')}.",
            file=sys.stderr,
        )
    return 1 if problems else 0


# --- schema ----------------------------------------------------------------------


def schema(args: argparse.Namespace) -> int:
    try:
        vocabularies = load_vocabularies(_settings(args).vocabularies_path)
    except VocabularyError as err:
        print(err, file=sys.stderr)
        return 1
    if args.check:
        stale = stale_files(Path(args.check), vocabularies)
        for path in stale:
            print(
                f"{path}: n'est plus à jour avec le modèle ou les vocabulaires : "
                f"régénérez-le avec « python -m vitrine schema --write {args.check} »",
                file=sys.stderr,
            )
        return 1 if stale else 0
    if args.write:
        for path in write_all(Path(args.write), vocabularies):
            print(path)
        return 0
    sys.stdout.write(all_schemas(vocabularies)[SCHEMAS[args.kind].file])
    return 0


# --- audit -----------------------------------------------------------------------


def _valid_directory(settings, layout, before: str):
    """The validated directory, or None once what is wrong is printed: the commands that
    read the content (audit, a-verifier, contrats) need it valid first."""
    try:
        vocabularies = load_vocabularies(settings.vocabularies_path)
    except VocabularyError as err:
        print(err, file=sys.stderr)
        return None
    directory, problems = load_directory(layout, vocabularies, settings.build_time())
    if problems:
        report(problems, "text", Path.cwd().resolve())
        print(f"Contenu invalide : corrigez-le avant {before}.", file=sys.stderr)
        return None
    return directory


def audit(args: argparse.Namespace) -> int:
    settings = _settings(args)
    output = Path(args.output) if args.output else settings.output
    if not output.is_dir():
        print(f"{output} : dossier introuvable : construisez d'abord le site (make html)")
        return 1
    directory = _valid_directory(settings, settings.layout, "l'audit du site")
    if directory is None:
        return 1
    mismatches = audit_output(output, directory, languages=settings.site_languages[1:])
    for line in mismatches:
        print(f"{output}: {line}")
    if mismatches:
        print(
            f"Audit : {count(len(mismatches), 'écart', 'écarts')} entre {output} et le contenu.",
            file=sys.stderr,
        )
        return 1
    print(
        f"Audit : {output} contient les {count(len(directory.enterprises), 'entreprise', 'entreprises')} "
        f"et {count(len(directory.events), 'événement', 'événements')} valides dans chaque sortie.",
        file=sys.stderr,
    )
    return 0


# --- a-verifier ------------------------------------------------------------------


def to_check(args: argparse.Namespace) -> int:
    """The stale listings, oldest first, with their contact: for staff to follow up."""
    settings = _settings(args)
    where = settings.layout
    directory = _valid_directory(settings, where, "de chercher les fiches à vérifier")
    if directory is None:
        return 1
    # The dates the pages show: the listing's own, else its last commit (as the build does).
    apply_dates(directory.enterprises, repository_dates(file_commits([where.enterprises])))
    months = settings.stale_months
    directory.mark_stale(months)
    stale = directory.stale()
    since = date_fr(directory.stale_before(months))
    if not stale:
        print(f"Aucune fiche à vérifier : toutes ont été mises à jour depuis le {since}.")
        return 0
    print(
        f"{count(len(stale), 'fiche', 'fiches')} à vérifier (pas de mise à jour depuis le "
        f"{since}, soit {months} mois), de la plus ancienne à la plus récente :"
    )
    for enterprise in stale:
        contact = enterprise.data.contact
        reach = [contact.personne, contact.courriel, contact.telephone or contact.site_web]
        print(
            f"\n{enterprise.updated.isoformat()}  {enterprise.name} "
            f"({_shown(enterprise.source, Path.cwd().resolve())})\n"
            "            " + " · ".join(part for part in reach if part)
        )
    return 0


def digest(args: argparse.Namespace) -> int:
    """Start an issue: its file, for staff to edit; never overwrite one."""
    settings = _settings(args)
    try:
        path, created = new_issue(settings, args.period)
    except ValueError as err:
        print(f"Période invalide : {err}", file=sys.stderr)
        return 2
    if created:
        print(
            f"Infolettre {path.stem} : {path} écrit. Modifiez son titre et son introduction, "
            "puis validez-le (git commit) : chaque construction du site le publie."
        )
    else:
        print(f"Infolettre {path.stem} : {path} existe déjà; rien n'a changé.")
    return 0


# --- contrats --------------------------------------------------------------------


def contracts(args: argparse.Namespace) -> int:
    """SEAO's monthly files → content/contrats/ (see content/seao.py)."""
    settings = _settings(args)
    # The listings and signatories to match; the contracts already kept are merged, not read.
    where = dataclasses.replace(settings.layout, contracts=None)
    directory = _valid_directory(settings, where, "de lire les contrats")
    if directory is None:
        return 1
    neqs = {e.data.neq for e in directory.enterprises if e.data.neq}
    try:
        files = seao.seao_files(args.files)
        summary = seao.run(files, settings.layout.contracts, neqs, directory.buyers)
    except seao.SeaoError as err:
        print(f"make contrats : {err}", file=sys.stderr)
        print("Aucun contrat écrit.", file=sys.stderr)
        return 1
    print(
        f"{count(summary.releases, 'publication lue', 'publications lues')} dans "
        f"{count(summary.files, 'fichier', 'fichiers')} : "
        f"{count(summary.kept, 'gardée', 'gardées')} "
        f"({count(len(summary.processes), 'contrat', 'contrats')}"
        + (f", dont {summary.repeated} en double" if summary.repeated else "")
        + ")."
    )
    for reason, label in seao.SKIP_REASONS.items():
        if summary.skipped[reason]:
            print(f"  ignorées, {label} : {summary.skipped[reason]}")
    folder = settings.layout.contracts
    print(
        f"{folder} : {count(len(summary.written), 'fichier écrit', 'fichiers écrits')}, "
        f"{count(summary.unchanged, 'inchangé', 'inchangés')}."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vitrine", description=__doc__)
    parser.add_argument(
        "--settings", default="pelicanconf.py", help="réglages du site (pelicanconf.py)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="vérifier les fiches et les événements")
    check.add_argument("paths", nargs="*", help="fichiers à vérifier (par défaut : tous)")
    check.add_argument("--content", help="dossier du contenu (par défaut : celui des réglages)")
    check.add_argument("--format", choices=["text", "github", "json"], default="text")
    check.add_argument(
        "--changed-since",
        metavar="BASE",
        help="ne signaler que les fichiers modifiés depuis BASE (ex. origin/main)",
    )
    check.set_defaults(run=validate)
    export = commands.add_parser("schema", help="schéma JSON de l'en-tête des fiches")
    export.add_argument("kind", nargs="?", choices=list(SCHEMAS), default="entreprise")
    export.add_argument("--content", help="dossier du contenu (par défaut : celui des réglages)")
    action = export.add_mutually_exclusive_group()
    action.add_argument("--write", nargs="?", const=SCHEMA_FOLDER, metavar="DOSSIER")
    action.add_argument("--check", nargs="?", const=SCHEMA_FOLDER, metavar="DOSSIER")
    export.set_defaults(run=schema)
    audited = commands.add_parser("audit", help="vérifier qu'un site construit n'a rien perdu")
    audited.add_argument("output", nargs="?", help="dossier du site (par défaut : output)")
    audited.add_argument("--content", help="dossier du contenu (par défaut : celui des réglages)")
    audited.set_defaults(run=audit)
    stale = commands.add_parser(
        "a-verifier", help="les fiches à faire mettre à jour, avec leur contact"
    )
    stale.add_argument("--content", help="dossier du contenu (par défaut : celui des réglages)")
    stale.set_defaults(run=to_check)
    started = commands.add_parser("digest", help="commencer l'infolettre d'un mois")
    started.add_argument("period", metavar="AAAA-MM", help="le mois, par exemple 2026-12")
    started.add_argument("--content", help="dossier du contenu (par défaut : celui des réglages)")
    started.set_defaults(run=digest)
    kept = commands.add_parser(
        "contrats", help="garder les contrats SEAO des entreprises et des signataires"
    )
    kept.add_argument("files", nargs="+", help="fichiers mensuels JSON de SEAO, ou leur dossier")
    kept.add_argument("--content", help="dossier du contenu (par défaut : celui des réglages)")
    kept.set_defaults(run=contracts)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except SettingsError as err:
        print(err, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
