"""Shared fixtures: tiny corpora and lexicons written into a temporary folder."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUNDLED_CORPUS = REPO / "corpus" / "ceasefire-call-2025-03"
SHARED = REPO.parent / "shared"


def write_corpus(folder: Path, articles: list[dict[str, str]]) -> Path:
    """Write a manifest corpus: each article dict has id, outlet, title and text."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "articles.csv", "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["id", "outlet", "title", "date", "source_note", "file"])
        for article in articles:
            name = f"{article['id']}.txt"
            (folder / name).write_text(f"{article['title']}\n\n{article['text']}", encoding="utf-8")
            writer.writerow([article["id"], article["outlet"], article["title"], "2025-03", "", name])
    return folder


def write_lexicon(folder: Path, name: str, rows: list[tuple], header: str = "term,category,weight,note") -> Path:
    """Write a lexicon CSV from (term, category, weight) rows."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    with open(path, "w", newline="", encoding="utf-8") as stream:
        stream.write(header + "\n")
        writer = csv.writer(stream)
        for row in rows:
            writer.writerow(list(row) + [""] * (4 - len(row)))
    return path


@pytest.fixture(scope="session")
def scored():
    """The bundled corpus scored with the bundled lexicons, once per test session."""
    from framing import load_corpus, score

    return score(load_corpus(BUNDLED_CORPUS))


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """Three outlets, one short article each, with known hedges, boosters and quotes."""
    return write_corpus(tmp_path / "tiny", [
        {"id": "a1", "outlet": "Outlet A", "title": "A historic breakthrough",
         "text": "Leaders clearly agreed to a historic deal. It is a great success."},
        {"id": "b1", "outlet": "Outlet B", "title": "Talks may resume",
         "text": "Talks may resume in May. Officials reportedly met for about 90 minutes."},
        {"id": "c1", "outlet": "Outlet C", "title": "Officials speak",
         "text": "“We will not accept this,” the minister said. The talks were not a success."},
    ])


def write_saved_page(folder: Path, name: str, title: str, paragraphs: list[str], site_name: str = "",
                     canonical: str = "", published: str = "") -> Path:
    """Write a small but realistic saved news page: head metadata, navigation, an <article>, a footer."""
    folder.mkdir(parents=True, exist_ok=True)
    head = [f"<title>{title} | {site_name or 'News'}</title>"]
    if site_name:
        head.append(f'<meta property="og:site_name" content="{site_name}">')
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}T08:00:00Z">')
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    path = folder / name
    path.write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n' + "\n".join(head) + "\n</head><body>\n"
        '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav>\n'
        f"<article><h1>{title}</h1>\n{body}\n</article>\n"
        "<footer><p>Copyright 2024. All rights reserved.</p></footer>\n</body></html>\n",
        encoding="utf-8")
    return path
