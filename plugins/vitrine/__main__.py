"""Command line: ``python -m vitrine validate [paths…]``.

Prints every problem as ``path:line: field: message`` (or as CI annotations, or
JSON) and exits 1 when there is any, 0 when all files are valid.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .config import build_time, layout, vocabulary_path
from .problems import Problem
from .validation import load_directory
from .vocabulary import VocabularyError, load_vocabularies


def _print(problems: list[Problem], fmt: str, counts: tuple[int, int]) -> None:
    if fmt == "json":
        print(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
        return
    for problem in problems:
        if fmt == "github":
            field = f"{problem.field} : " if problem.field else ""
            message = (field + problem.message).replace("%", "%25").replace("\n", "%0A")
            print(f"::error file={problem.path},line={problem.line}::{message}")
        else:
            print(problem)
    if problems:
        files = len({p.path for p in problems})
        print(
            f"{len(problems)} problème(s) dans {files} fichier(s).",
            file=sys.stderr,
        )
    else:
        print(f"Tout est valide : {counts[0]} fiche(s), {counts[1]} événement(s).", file=sys.stderr)


def validate(args: argparse.Namespace) -> int:
    content = Path(args.content)
    settings: dict = {}
    try:
        vocabularies = load_vocabularies(vocabulary_path(content, settings))
    except VocabularyError as err:
        print(err, file=sys.stderr)
        return 1
    directory, problems = load_directory(layout(content, settings), vocabularies, build_time())
    if args.paths:
        wanted = {Path(p).resolve() for p in args.paths}
        problems = [p for p in problems if p.path.resolve() in wanted]
    _print(problems, args.format, (len(directory.enterprises), len(directory.events)))
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vitrine", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="vérifier les fiches et les événements")
    check.add_argument("paths", nargs="*", help="fichiers à vérifier (par défaut : tous)")
    check.add_argument("--content", default="content", help="dossier du contenu")
    check.add_argument("--format", choices=["text", "github", "json"], default="text")
    check.set_defaults(run=validate)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
