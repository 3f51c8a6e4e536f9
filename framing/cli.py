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

from .corpus import RECORD_FIELDS, Corpus, load_corpus
from .corpus_selection import Condition, parse_filter
from .engine import ENGINES, LARGE_CORPUS, check_engine, cpu_cores, default_workers
from .errors import FilterError, FramingError
from .kwic import DEFAULT_WIDTH, format_kwic, kwic, kwic_summary, parse_query
from .lexicon import LexiconSet
from .lexicon_check import check_lexicons
from .lexicon_coverage import format_coverage, lexicon_coverage, write_never_fire
from .lexicon_import import FORMATS, import_dictionary, write_lexicon_csv
from .lexicon_suggest import format_suggestions, limit_per_outlet, suggest_terms, write_suggestions
from .score import score
from .score_files import TABLE_FORMATS, check_format, is_partitioned, parquet_rows, score_parquet_parts, write_tables

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
            click.echo(f"Error: {line}", file=file, err=file is None)


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


class FilterExpression(click.ParamType):
    """A ``--filter`` expression, parsed by the library; a malformed one is a usage error."""

    name = "filter"

    def convert(self, value, param, ctx) -> Condition:
        if isinstance(value, Condition):
            return value
        try:
            return parse_filter(value)
        except FilterError as error:
            self.fail(str(error), param, ctx)


def corpus_options(command: Callable) -> Callable:
    """``--column FIELD=NAME``, ``--topic NAME`` and ``--filter EXPR``, shared by every command that reads a corpus."""
    command = click.option("--filter", "filters", multiple=True, type=FilterExpression(), metavar="EXPR",
                           help="Keep only articles that match (repeatable; all must hold): FIELD=VALUE[,VALUE...] "
                                "(equals any, ignoring case), FIELD~WORDS (contains, ignoring case; text~ searches "
                                "headline and text), date>=YYYY-MM-DD, date<=YYYY-MM-DD; FIELD is one of id, outlet, "
                                "title, date, topic, url, text.")(command)
    command = click.option("--topic", metavar="NAME",
                           help="Keep only articles whose topic is NAME (ignoring case; 'white house' matches "
                                "white_house).")(command)
    return click.option("--column", "column_names", multiple=True, metavar="FIELD=NAME",
                        help=f"For JSONL, CSV and Parquet corpora: the file's column holding a field, e.g. text=body "
                             f"(repeatable; fields: {', '.join(RECORD_FIELDS)}).")(command)


def _column_map(pairs: tuple[str, ...]) -> dict[str, str] | None:
    """``("text=body", ...)`` as ``{"text": "body"}``; a malformed pair is a usage error."""
    mapping = {}
    for pair in pairs:
        field, _, name = pair.partition("=")
        if field not in RECORD_FIELDS or not name:
            raise click.BadParameter(f"'{pair}': expected FIELD=NAME with FIELD one of {', '.join(RECORD_FIELDS)}",
                                     param_hint="--column")
        mapping[field] = name
    return mapping or None


def _load(path: Path, column_names: tuple[str, ...], topic: str | None, filters: tuple[Condition, ...]) -> Corpus:
    """Load and narrow the corpus; skipped files and what the narrowing kept go to stderr."""
    loaded = load_corpus(path, columns=_column_map(column_names), topic=topic, filters=filters)
    for skipped in loaded.skipped:
        click.echo(f"Warning: {skipped}", err=True)
    if loaded.narrowed:
        click.echo(f"{path}: {loaded.narrowed}", err=True)
    return loaded


def _lexicons(lexicon_dirs: tuple[Path, ...], no_defaults: bool) -> LexiconSet:
    """Check and load the lexicons; errors stop the command, warnings in the user's files go to stderr."""
    if no_defaults and not lexicon_dirs:
        raise click.UsageError("--no-default-lexicons needs at least one --lexicons DIR")
    checked = check_lexicons(lexicon_dirs, defaults=not no_defaults)
    lexicons = checked.lexicon_set()
    for problem in checked.problems_in(lexicon_dirs) if lexicon_dirs else []:
        click.echo(str(problem), err=True)
    return lexicons


def engine_options(command: Callable) -> Callable:
    """``--workers N``, ``--engine local|dask`` and ``--scheduler ADDRESS``, shared by the commands that score."""
    command = click.option("--scheduler", metavar="ADDRESS",
                           help="With --engine dask: a running Dask scheduler's address (tcp://HOST:8786, as "
                                "`dask scheduler` prints); without it a local cluster starts and stops here, "
                                "with --workers processes (all cores by default).")(command)
    command = click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                           help="local: processes on this machine; dask: a Dask cluster "
                                "(pip install 'framing-lens[dask]'). The tables are identical either way.")(command)
    return click.option("--workers", type=click.IntRange(min=1), metavar="N",
                        help=f"Processes scoring at once. Default: all cores ({cpu_cores()} here) when the corpus "
                             f"has more than {LARGE_CORPUS} articles, else 1 (starting processes costs more than "
                             "it saves on a few articles).")(command)


def render_report(*args, **kwargs) -> Path:
    """``framing.report.render.render_report``, imported on first call: matplotlib, scikit-learn and
    Jinja2 take seconds to import, and only ``framing report`` needs them."""
    from .report.render import render_report as render

    return render(*args, **kwargs)


def _progress(corpus: Corpus, label: str):
    return click.progressbar(length=len(corpus.articles), label=label, file=sys.stderr)


def _stage(message: str) -> None:
    """A report stage as it starts ("Comparing outlets…"), on stderr: the library only calls back."""
    click.echo(message, err=True)


@click.group(cls=FramingGroup)
@click.version_option(package_name="framing-lens")
def cli() -> None:
    """Show how different news outlets frame the same event."""


@cli.command(short_help="Score a corpus and write its report.")
@click.argument("corpus", required=False, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("reports"), show_default=True,
              help="Folder under which reports/<corpus-name>/ is written.")
@corpus_options
@click.option("--audience", type=click.Choice(["analyst", "students"]), default="analyst", show_default=True,
              help="students: also write the classroom edition student.html and the printable worksheet.html.")
@click.option("--outlet-labels", type=click.Path(dir_okay=False, path_type=Path),
              help="A CSV of outlet-level labels (columns outlet,label,source) to compare the style clusters with; "
                   "default: the AllSides bias ratings in framing/data/outlet_bias_allsides.csv.")
@engine_options
@lexicon_options
def report(corpus: Path | None, out_dir: Path, column_names: tuple[str, ...], topic: str | None,
           filters: tuple[Condition, ...], audience: str, outlet_labels: Path | None, workers: int | None, engine: str, scheduler: str | None,
           lexicon_dirs: tuple[Path, ...], no_defaults: bool) -> None:
    """Score CORPUS (default: the bundled ceasefire-call corpus) and write its report.

    CORPUS is a folder with an articles.csv manifest, a .jsonl(.gz), .csv(.gz) or .parquet
    file, a folder of .parquet files or a folder of saved .html pages. --topic and --filter
    narrow it to one story; the report folder's name then says how (corpus-elections).
    """
    from .style_alignment import load_outlet_labels  # scikit-learn and SciPy: imported when a report is asked for

    check_engine(engine, workers or 1, scheduler)
    corpus_path = corpus or _default_corpus()
    lexicons = _lexicons(lexicon_dirs, no_defaults)
    if outlet_labels is not None:
        load_outlet_labels(outlet_labels)  # a bad labels file stops here, before the scoring
    loaded = _load(corpus_path, column_names, topic, filters)
    with _progress(loaded, "Scoring articles") as bar:
        scored = score(loaded, lexicons, progress=bar.update, workers=workers or default_workers(len(loaded.articles)),
                       engine=engine, scheduler=scheduler)
    html = render_report(scored, out_dir / loaded.name, audience=audience, outlet_labels=outlet_labels, progress=_stage)
    click.echo(f"Wrote {html} ({len(loaded.articles)} articles, {len(loaded.outlets)} outlets, {len(scored.evidence)} evidence rows)")


@cli.command("score", short_help="Score a corpus and write its tables (Parquet or CSV), no report.")
@click.argument("corpus", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for scores, evidence and sentences (one file each, or one per part of a Parquet folder).")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="parquet", show_default=True,
              help="File format of the tables.")
@corpus_options
@engine_options
@lexicon_options
def score_command(corpus: Path, out_dir: Path, fmt: str, column_names: tuple[str, ...], topic: str | None,
                  filters: tuple[Condition, ...], workers: int | None, engine: str, scheduler: str | None,
                  lexicon_dirs: tuple[Path, ...], no_defaults: bool) -> None:
    """Score CORPUS and write its tables to --out, for corpora too big for a report.

    A folder of .parquet files (a partitioned dataset) is scored one part per task, and each
    part's tables are written where it was scored: DIR/scores/part-00000.parquet, DIR/evidence/...,
    DIR/sentences/... (DIR/parts.csv lists which input file each was), so no process holds more
    than one part (with a Dask cluster, DIR must be a folder every worker can write). Any other
    corpus is read and written by this process:
    DIR/scores.parquet, DIR/evidence.parquet, DIR/sentences.parquet. Files appear whole
    (written under a temporary name, then renamed). See docs/scaling.md.
    """
    check_engine(engine, workers or 1, scheduler)
    check_format(fmt)
    lexicons = _lexicons(lexicon_dirs, no_defaults)
    if is_partitioned(corpus):
        rows = parquet_rows(corpus)
        with click.progressbar(length=rows, label="Scoring parts", file=sys.stderr) as bar:
            written = score_parquet_parts(corpus, out_dir, lexicons, fmt=fmt, columns=_column_map(column_names),
                                          topic=topic, filters=filters, workers=workers or default_workers(rows),
                                          engine=engine, scheduler=scheduler, progress=bar.update)
        click.echo(f"Wrote {out_dir}/{{scores,evidence,sentences}}/, {written.parts} parts listed in "
                   f"{out_dir / 'parts.csv'} ({written.articles} articles, {written.evidence_rows} evidence rows)")
        return
    loaded = _load(corpus, column_names, topic, filters)
    with _progress(loaded, "Scoring articles") as bar:
        scored = score(loaded, lexicons, progress=bar.update, workers=workers or default_workers(len(loaded.articles)),
                       engine=engine, scheduler=scheduler)
    paths = write_tables(scored, out_dir, fmt)
    click.echo(f"Wrote {', '.join(str(path) for path in paths)} "
               f"({len(loaded.articles)} articles, {len(scored.evidence)} evidence rows)")


@cli.command("kwic", short_help="Every use of a term, in context (keyword in context).")
@click.argument("term")
@click.argument("corpus", required=False, type=click.Path(path_type=Path))
@click.option("--width", type=click.IntRange(min=0), default=DEFAULT_WIDTH, show_default=True,
              help="Characters of context on each side.")
@click.option("--limit", type=click.IntRange(min=0), default=25, show_default=True,
              help="Lines to show (0: all).")
@corpus_options
@lexicon_options
def kwic_command(term: str, corpus: Path | None, width: int, limit: int, column_names: tuple[str, ...],
                 topic: str | None, filters: tuple[Condition, ...],
                 lexicon_dirs: tuple[Path, ...], no_defaults: bool) -> None:
    """Every use of TERM in CORPUS (default: the bundled corpus), in context.

    TERM uses lexicon syntax: a word, a phrase ("glimmer of hope"), a stem (escalat*),
    # for any number ("about #"). Each line ends with what the lexicons count there.
    LEXICON: or LEXICON:CATEGORY (frames:, frames:conflict, hedges:ignore) shows that
    lexicon's matches as the scores count them, with the entry that matched.
    """
    lexicons = _lexicons(lexicon_dirs, no_defaults)
    query = parse_query(term, lexicons)  # a bad query stops before the search starts
    loaded = _load(corpus or _default_corpus(), column_names, topic, filters)
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
@corpus_options
@lexicon_options
def suggest_command(corpus: Path, out: Path | None, limit: int | None, top: int, min_count: int, min_z: float,
                    column_names: tuple[str, ...], topic: str | None, filters: tuple[Condition, ...],
                    lexicon_dirs: tuple[Path, ...], no_defaults: bool) -> None:
    """Words and phrases that set outlets apart in CORPUS but no lexicon covers.

    Ranked per outlet by the weighted log-odds ratio with an informative Dirichlet prior
    (Monroe, Colaresi & Quinn 2008); z of 1.96 or more, with two example sentences.
    """
    lexicons = _lexicons(lexicon_dirs, no_defaults)
    loaded = _load(corpus, column_names, topic, filters)
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
@corpus_options
@lexicon_options
def coverage_command(corpus: Path | None, out: Path | None, column_names: tuple[str, ...], topic: str | None,
                     filters: tuple[Condition, ...], lexicon_dirs: tuple[Path, ...], no_defaults: bool) -> None:
    """Per lexicon and category: entries, how many fire, their matches and the share of tokens covered."""
    lexicons = _lexicons(lexicon_dirs, no_defaults)
    loaded = _load(corpus or _default_corpus(), column_names, topic, filters)
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
