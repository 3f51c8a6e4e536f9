"""docs/lexicons.md, run: every file it shows is written, every command run, every output compared.

The walk-through is read in order. A fenced block whose info string names a file
(```csv file=mylex/climate.csv) is written to that path; each line of a ```sh block is a
``framing`` command (``# exit status N`` at its end gives the expected exit status, else 0);
a ```text block right after a ```sh block is the expected standard output of its last command,
where ``...`` stands for any text (doctest's ELLIPSIS) and runs of spaces compare equal.
"""

from __future__ import annotations

import doctest
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from framing.cli import cli

DOC = Path(__file__).resolve().parent.parent / "docs" / "lexicons.md"
_FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.M | re.S)
_EXIT = re.compile(r"\s+#\s*exit status (\d+)\s*$")


@dataclass
class Step:
    kind: str  # "file" or "command"
    path: str = ""
    content: str = ""
    args: list[str] = field(default_factory=list)
    exit_status: int = 0
    expected: str | None = None
    line: int = 0


def walkthrough(text: str) -> list[Step]:
    steps: list[Step] = []
    previous_end, previous_was_sh = 0, False
    for fence in _FENCE.finditer(text):
        info, body = fence.group(1).split(), fence.group(2)
        line = text.count("\n", 0, fence.start()) + 1
        adjacent = previous_was_sh and not text[previous_end:fence.start()].strip()
        files = [item.split("=", 1)[1] for item in info[1:] if item.startswith("file=")]
        if files:
            steps.append(Step("file", path=files[0], content=body, line=line))
        elif info[:1] == ["sh"]:
            for command in body.splitlines():
                if not command.strip() or command.lstrip().startswith("#"):
                    continue
                status = _EXIT.search(command)
                command = _EXIT.sub("", command)
                args = shlex.split(command)
                assert args[0] == "framing", f"docs/lexicons.md:{line}: only framing commands can be run: {command}"
                steps.append(Step("command", args=args[1:], exit_status=int(status.group(1)) if status else 0, line=line))
        elif info[:1] == ["text"] and adjacent:
            steps[-1].expected = body
        previous_end, previous_was_sh = fence.end(), info[:1] == ["sh"]
    return steps


STEPS = walkthrough(DOC.read_text(encoding="utf-8"))


def test_the_walkthrough_covers_the_whole_workflow():
    commands = [" ".join(step.args[:2]) for step in STEPS if step.kind == "command"]
    for wanted in ("lexicon suggest", "kwic power", "lexicon check", "report storms.jsonl", "lexicon coverage",
                   "lexicon import"):
        assert any(command.startswith(wanted) for command in commands), wanted
    assert sum(step.expected is not None for step in STEPS) >= 8
    assert [step.path for step in STEPS if step.kind == "file"][:3] == ["storms.jsonl", "mylex/climate.csv", "mylex/tone.csv"]


def test_every_command_in_the_doc_gives_the_output_shown(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    checker = doctest.OutputChecker()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    for step in STEPS:
        if step.kind == "file":
            Path(step.path).parent.mkdir(parents=True, exist_ok=True)
            Path(step.path).write_text(step.content, encoding="utf-8")
            continue
        result = CliRunner().invoke(cli, step.args)
        where = f"docs/lexicons.md:{step.line}: framing {shlex.join(step.args)}"
        assert result.exit_code == step.exit_status, f"{where}\n{result.output}"
        if step.expected is not None:
            assert checker.check_output(step.expected, result.stdout, flags), (
                f"{where}: the output differs from the doc; update the doc.\n"
                + checker.output_difference(doctest.Example("", step.expected), result.stdout, flags))
    assert Path("reports/storms/report.html").is_file() and Path("never-fire.csv").is_file()
    header = Path("reports/storms/scores.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"climate_per_1k", "climate_alarm_per_1k", "climate_adaptation_per_1k"} <= set(header)


@pytest.mark.parametrize("markdown, kinds", [
    ("```sh\nframing lexicon check x  # exit status 1\n```\n\n```text\nout\n```\n", [("command", ["lexicon", "check", "x"], 1, "out\n")]),
    ("```sh\nframing kwic a\n```\nprose\n```text\nnot an output\n```\n", [("command", ["kwic", "a"], 0, None)]),
    ("```csv file=a/b.csv\nterm\n```\n", [("file", "a/b.csv", 0, None)]),
])
def test_the_doc_reader(markdown: str, kinds: list):
    steps = walkthrough(markdown)
    assert [(s.kind, s.args if s.kind == "command" else s.path, s.exit_status, s.expected) for s in steps] == kinds
