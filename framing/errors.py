"""Typed errors: each message names the file, the line and how to fix the problem.

The CLI turns every ``FramingError`` into a one-line ``click.ClickException``;
library users catch them like any other exception.
"""

from __future__ import annotations

from pathlib import Path


class FramingError(Exception):
    """Base class for every error the toolkit raises on bad input."""


class InputError(FramingError):
    """A problem in a user's file, located at ``path:line`` when a line is known."""

    def __init__(self, path: Path | str, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self):
        """Pickle by the constructor's arguments (the default, by the message, cannot rebuild it)."""
        return type(self), (self.path, self.problem, self.line)


class CorpusError(InputError):
    """A corpus folder, manifest or article file that cannot be read."""


class LexiconError(InputError):
    """A lexicon file that cannot be used."""


class FilterError(FramingError):
    """A corpus filter expression (``outlet=cnn.com``, ``date>=2020-01-01``) that cannot be parsed."""
