"""The ``framing`` command: a thin click layer over the library.

Each command parses its options, makes one library call and prints. Library errors
(``FramingError``) become ``click.ClickException`` messages in ``FramingGroup``, one
``Error:`` line per problem (a lexicon folder with five mistakes gives five lines).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import click

from .corpus import Corpus, load_corpus
from .errors import FramingError
from .kwic import DEFAULT_WIDTH, format_kwic, kwic, kwic_summary, parse_query
from .lexicon import LexiconSet
from .lexicon_check import check_lexicons
from .lexicon_coverage import format_coverage, lexicon_coverage, write_never_fire
from .lexicon_import import FORMATS, import_dictionary, write_lexicon_csv
from .lexicon_suggest import format_suggestions, limit_per_outlet, suggest_terms, write_suggestions
from .report.render import render_report
from .score import score

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "ceasefire-call-2025-03"


def _default_corpus() -> Path:
    """The bundled ceasefire-call corpus: in the source tree, else under the working directory."""
    if DEFAULT_CORPUS.is_dir():
        return DEFAULT_CORPUS
    return Path("corpus") / "ceasefire-call-2025-03"


class _ProblemsException(click.ClickException):
    """A library error shown as one ``Error:`` line per problem."""

    def show(self, file=None) -> None:
        for line in self.format_message().splitlines():
            click.echo(f"Error: {line}", file=file or click.get_text_stream("stderr"))


class FramingGroup(click.Group):
    """A click group that turns library errors into ``Error:`` lines, in one place."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FramingError as error:
            raise _ProblemsException(str(error)) from error


def lexicon_options(command: Callable) -> Callable:
    """``--lexicons DIR`` (repeatable) and ``--no-default-lexicons``, shared by every command that matches."""
    command = click.option("--no-default-lexicons", "no_defaults", is_flag=True,
                           help="Use only the --lexicons folders, not the bundled lexicons/.")(command)
    return click.option("--lexicons", "lexicon_dirs", multiple=True, type=click.Path(path_type=Path),
                        help="A folder (or file) of lexicons layered over the bundled lexicons/ (repeatable; later "
                             "folders win): a file named like a bundled lexicon adds, reweights or removes its entries, "
                             "any other file is a new lexicon.")(command)


def _column_map(pairs: tuple[str, ...]) -> dict[str, str] | None:
    """``("text=body", ...)`` as ``{"text": "body"}``; a malformed pair is a usage error."""
    fields = ("id", "outlet", "title", "text", "date")
    mapping = {}
    for pair in pairs:
        field, _, name = pair.partition("=")
        if field not in fields or not name:
            raise click.BadParameter(f"'{pair}': expected FIELD=NAME with FIELD one of {', '.join(fields)}",
                                     param_hint="--column")
        mapping[field] = name
    return mapping or None


def _lexicons(lexicon_dirs: tuple[Path, ...], no_defaults: bool) -> LexiconSet:
    """Check and load the lexicons; errors stop the command, warnings in the user's files go to stderr."""
    if no_defaults and not lexicon_dirs:
        raise click.UsageError("--no-default-lexicons needs at least one --lexicons DIR")
    checked = check_lexicons(lexicon_dirs, defaults=not no_defaults)
    lexicons = checked.lexicon_set()
    for problem in checked.problems_in(lexicon_dirs) if lexicon_dirs else []:
        click.echo(str(problem), err=True)
    return lexicons


def _progress(corpus: Corpus, label: str):
    return click.progressbar(length=len(corpus.articles), label=label, file=sys.stderr)


@click.group(cls=FramingGroup)
@click.version_option(package_name="framing-lens")
def cli() -> None:
    """Show how different news outlets frame the same event."""


@cli.command(short_help="Score a corpus and write its report.")
@click.argument("corpus", required=False, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("reports"), show_default=True,
              help="Folder under which reports/<corpus-name>/ is written.")
@click.option("--column", "column_names", multiple=True, metavar="FIELD=NAME",
              help="For JSONL/CSV corpora: the file's column holding a field, e.g. text=body (repeatable; "
                   "fields: id, outlet, title, text, date).")
@click.option("--audience", type=click.Choice(["analyst", "students"]), default="analyst", show_default=True,
              help="students: also write the classroom edition student.html and the printable worksheet.html.")
@lexicon_options
def report(corpus: Path | None, out_dir: Path, column_names: tuple[str, ...], audience: str,
           lexicon_dirs: tuple[Path, ...], no_defaults: bool) -> None:
    """Score CORPUS (default: the bundled ceasefire-call corpus) and write its report.

    CORPUS is a folder with an articles.csv manifest or a .jsonl / .jsonl.gz file.
    """
    corpus_path = corpus or _default_corpus()
    lexicons = _lexicons(lexicon_dirs, no_defaults)
    loaded = load_corpus(corpus_path, columns=_column_map(column_names))
    with _progress(loaded, "Scoring articles") as bar:
        scored = score(loaded, lexicons, progress=bar.update)
    html = render_report(scored, out_dir / loaded.name, audience=audience)
    click.echo(f"Wrote {html} ({len(loaded.articles)} articles, {len(loaded.outlets)} outlets, {len(scored.evidence)} evidence rows)")


@cli.command("kwic", short_help="Every use of a term, in context (keyword in context).")
@click.argument("term")
@click.argument("corpus", required=False, type=click.Path(path_type=Path))
@click.option("--width", type=click.IntRange(min=0), default=DEFAULT_WIDTH, show_default=True,
              help="Characters of context on each side.")
@click.option("--limit", type=click.IntRange(min=0), default=25, show_default=True,
              help="Lines to show (0: all).")
@lexicon_options
def kwic_command(term: str, corpus: Path | None, width: int, limit: int,
                 lexicon_dirs: tuple[Path, ...], no_defaults: bool) -> None:
    """Every use of TERM in CORPUS (default: the bundled corpus), in context.

    TERM uses lexicon syntax: a word, a phrase ("glimmer of hope"), a stem (escalat*),
    # for any number ("about #"). Each line ends with what the lexicons count there.
    LEXICON: or LEXICON:CATEGORY (frames:, frames:conflict, hedges:ignore) shows that
    lexicon's matches as the scores count them, with the entry that matched.
    """
    lexicons = _lexicons(lexicon_dirs, no_defaults)
    query = parse_query(term, lexicons)  # a bad query stops before the search starts
    loaded = load_corpus(corpus or _default_corpus())
    with _progress(loaded, "Searching articles") as bar:
        table = kwic(loaded, query, lexicons, width=width, progress=bar.update)
    for line in format_kwic(table, width=width, limit=limit):
        click.echo(line)
    click.echo(kwic_summary(table, term, limit))


@cli.group(cls=click.Group)
def lexicon() -> None:
    """Check, extend and import lexicons (see docs/lexicons.md)."""


@lexicon.command("check", short_help="Check lexicon files and print every problem.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-default-lexicons", "no_defaults", is_flag=True,
              help="Check PATHS on their own, not layered over the bundled lexicons/.")
@click.pass_context
def check_command(ctx: click.Context, paths: tuple[Path, ...], no_defaults: bool) -> None:
    """Check lexicon folders or files (default: the bundled lexicons/) and print every problem.

    PATHS are layered over the bundled lexicons, as `framing report --lexicons` does, so
    overlay rows are checked against what they change; only problems in PATHS are shown
    (and any error at all). Exit status 1 when there is an error, 0 with warnings only.
    """
    if no_defaults and not paths:
        raise click.UsageError("--no-default-lexicons needs at least one folder or file to check")
    checked = check_lexicons(paths, defaults=not no_defaults)
    shown = checked.problems_in(paths) if paths else list(checked.problems)
    for problem in shown:
        click.echo(str(problem))
    errors = sum(problem.is_error for problem in shown)
    warnings = len(shown) - errors
    files = len(checked.files_in(paths) if paths else checked.files)
    click.echo(f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''} "
               f"in {files} lexicon file{'s' if files != 1 else ''}")
    if errors:
        ctx.exit(1)


@lexicon.command("suggest", short_help="Words that set outlets apart and no lexicon covers.")
@click.argument("corpus", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the suggestions as CSV: term,category,weight,note,outlet,z,count,examples.")
@click.option("--limit", type=click.IntRange(min=1), help="Read only the first N articles of each outlet (faster).")
@click.option("--top", type=click.IntRange(min=1), default=15, show_default=True, help="Terms per outlet.")
@click.option("--min-count", type=click.IntRange(min=1), default=3, show_default=True,
              help="Uses an outlet needs before a term is suggested for it.")
@click.option("--min-z", type=float, default=1.96, show_default=True,
              help="Smallest z-score suggested (1.96: the usual 5% bar; lower it only to explore a tiny corpus).")
@lexicon_options
def suggest_command(corpus: Path, out: Path | None, limit: int | None, top: int, min_count: int, min_z: float,
                    lexicon_dirs: tuple[Path, ...], no_defaults: bool) -> None:
    """Words and phrases that set outlets apart in CORPUS but no lexicon covers.

    Ranked per outlet by the weighted log-odds ratio with an informative Dirichlet prior
    (Monroe, Colaresi & Quinn 2008); z of 1.96 or more, with two example sentences.
    """
    lexicons = _lexicons(lexicon_dirs, no_defaults)
    loaded = load_corpus(corpus)
    articles = Corpus(loaded.name, loaded.path, tuple(limit_per_outlet(loaded.articles, limit)))
    with _progress(articles, "Counting words") as bar:
        table = suggest_terms(articles, lexicons, top=top, min_count=min_count, z_threshold=min_z, progress=bar.update)
    for line in format_suggestions(table):
        click.echo(line)
    if out is not None:
        click.echo(f"Wrote {write_suggestions(table, out)} ({len(table)} suggestions; fill in 'category' before use)")


@lexicon.command("coverage", short_help="Which entries fire on a corpus, and which never do.")
@click.argument("corpus", required=False, type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the entries that never fire as CSV.")
@lexicon_options
def coverage_command(corpus: Path | None, out: Path | None, lexicon_dirs: tuple[Path, ...], no_defaults: bool) -> None:
    """Per lexicon and category: entries, how many fire, their matches and the share of tokens covered."""
    lexicons = _lexicons(lexicon_dirs, no_defaults)
    loaded = load_corpus(corpus or _default_corpus())
    with _progress(loaded, "Matching articles") as bar:
        coverage = lexicon_coverage(loaded, lexicons, progress=bar.update)
    for line in format_coverage(coverage):
        click.echo(line)
    never = len(coverage.never_fire)
    line = f"{coverage.articles} articles, {coverage.tokens} tokens; {never} {'entries never fire' if never != 1 else 'entry never fires'}"
    if out is not None:
        line += f" (listed in {write_never_fire(coverage, out)})"
    click.echo(line)


@lexicon.command("import", short_help="Convert a LIWC, quanteda YAML or VADER dictionary.")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The lexicon CSV to write; its name (without .csv) is the lexicon's name.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Default: from the file name (.dic, .yml, VADER .txt).")
@click.option("--category", "categories", multiple=True,
              help="Import only this category (repeatable; a word in several keeps the first listed).")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
@click.pass_context
def import_command(ctx: click.Context, source: Path, out: Path, fmt: str | None, categories: tuple[str, ...],
                   force: bool) -> None:
    """Convert a LIWC .dic, a quanteda YAML dictionary or VADER's lexicon into a lexicon CSV, then check it."""
    if out.exists() and not force:
        raise click.UsageError(f"{out} exists; choose another --out, or pass --force to overwrite it")
    imported = import_dictionary(source, fmt, categories)
    if any(problem.is_error for problem in imported.problems):
        raise FramingError("\n".join(str(problem) for problem in imported.problems if problem.is_error))
    write_lexicon_csv(imported.rows, out)
    checked = check_lexicons([out], defaults=True)
    shown = list(imported.problems) + checked.problems_in([out])
    for problem in shown:
        click.echo(str(problem))
    click.echo(f"Wrote {out}: {len(imported.rows)} entries in {len(imported.categories)} "
               f"categor{'ies' if len(imported.categories) != 1 else 'y'} ({', '.join(imported.categories)}) "
               f"from {imported.format} file {source}")
    if checked.errors:
        ctx.exit(1)


def main() -> None:
    """Console-script entry point."""
    cli()
