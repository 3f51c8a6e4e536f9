"""framing.errors: messages name the file and line, and the errors survive a trip between processes."""

from __future__ import annotations

import pickle

import pytest

from framing.errors import CorpusError, FilterError, InputError, LexiconError


@pytest.mark.parametrize("error, message", [
    (CorpusError("corpus/articles.csv", "duplicate id 'a1' (first on line 2)", line=5),
     "corpus/articles.csv:5: duplicate id 'a1' (first on line 2)"),
    (LexiconError("lexicons/tone.csv", "weight 'x' is not a number", 3), "lexicons/tone.csv:3: weight 'x' is not a number"),
    (InputError("labels.csv", "missing column label"), "labels.csv: missing column label"),
])
def test_input_errors_name_the_place_and_pickle_whole(error: InputError, message: str) -> None:
    assert str(error) == message
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (copy.path, copy.line, copy.problem, str(copy)) == (error.path, error.line, error.problem, message)


def test_other_framing_errors_pickle_as_usual() -> None:
    copy = pickle.loads(pickle.dumps(FilterError("bad filter 'date>x'")))
    assert type(copy) is FilterError and str(copy) == "bad filter 'date>x'"
