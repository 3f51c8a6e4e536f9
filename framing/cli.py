"""The ``framing`` command: a thin click layer over the library.

Each command parses its options, makes one library call and prints. Library errors
(``FramingError``) become one-line ``click.ClickException`` messages in ``FramingGroup``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .corpus import load_corpus
from .errors import FramingError
from .lexicon import load_lexicons
from .report.render import render_report
from .score import score

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "ceasefire-call-2025-03"


def _default_corpus() -> Path:
    """The bundled ceasefire-call corpus: in the source tree, else under the working directory."""
    if DEFAULT_CORPUS.is_dir():
        return DEFAULT_CORPUS
    return Path("corpus") / "ceasefire-call-2025-03"


class FramingGroup(click.Group):
    """A click group that turns library errors into one-line messages, in one place."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except FramingError as error:
            raise click.ClickException(str(error)) from error


@click.group(cls=FramingGroup)
@click.version_option(package_name="framing-lens")
def cli() -> None:
    """Show how different news outlets frame the same event."""


@cli.command()
@click.argument("corpus", required=False, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("reports"), show_default=True,
              help="Folder under which reports/<corpus-name>/ is written.")
@click.option("--lexicons", "lexicon_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Lexicon folder to use instead of the bundled lexicons/ (repeatable).")
def report(corpus: Path | None, out_dir: Path, lexicon_dirs: tuple[Path, ...]) -> None:
    """Score CORPUS (default: the bundled ceasefire-call corpus) and write its report.

    CORPUS is a folder with an articles.csv manifest or a .jsonl / .jsonl.gz file.
    """
    corpus_path = corpus or _default_corpus()
    lexicons = load_lexicons(lexicon_dirs or None)
    loaded = load_corpus(corpus_path)
    with click.progressbar(length=len(loaded.articles), label="Scoring articles", file=sys.stderr) as bar:
        scored = score(loaded, lexicons, progress=bar.update)
    html = render_report(scored, out_dir / loaded.name)
    click.echo(f"Wrote {html} ({len(loaded.articles)} articles, {len(loaded.outlets)} outlets, {len(scored.evidence)} evidence rows)")


def main() -> None:
    """Console-script entry point."""
    cli()
