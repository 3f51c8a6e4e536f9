"""Saved web pages as articles: the article text and metadata that trafilatura finds in each page.

Each page is parsed offline from its saved HTML (nothing is fetched). The fields:

* ``title``: the page's headline (``og:title``, the ``<h1>`` or ``<title>``, as trafilatura chooses);
* ``date``: the publication date the page declares (meta tags, JSON-LD, ``<time>``), as
  ``YYYY-MM-DD``, or empty; dates guessed from the body text (a copyright year) are not used;
* ``outlet``: the host name of the page's canonical URL (``<link rel="canonical">`` or
  ``og:url``) without ``www.``, so pages match corpora that name outlets by domain
  (``foxnews.com``); else the site name (``og:site_name``); else the folder's name;
* ``url``: the canonical URL, or empty;
* ``body``: the article's paragraphs, one a line, without the headline when the body repeats it.

A page whose body has fewer than ``MIN_PAGE_WORDS`` words (an index, error or paywall page)
gets a ``skip_reason`` and is left out of the corpus with a warning.

This module depends on nothing else in ``framing``; ``corpus`` reads the folder and uses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

HTML_SUFFIXES = (".html", ".htm")
MIN_PAGE_WORDS = 20
# Only dates the page declares: htmldate's extensive search would take a copyright year as the date.
DATE_OPTIONS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True)
class Page:
    """What trafilatura found in one saved page."""

    title: str
    date: str
    outlet: str
    url: str
    body: str

    @property
    def skip_reason(self) -> str:
        """Why the page is not an article (too little text), or ``""`` when it is one."""
        words = len(self.body.split())
        if words >= MIN_PAGE_WORDS:
            return ""
        found = "no article text" if words == 0 else f"only {words} word{'s' if words != 1 else ''} of article text"
        return (f"skipped: {found} found (at least {MIN_PAGE_WORDS} words needed); is it an index, error or paywall "
                "page? Save the article page itself, or remove the file")


def page_outlet(url: str, site_name: str, default: str) -> str:
    """The canonical URL's host without ``www.``, else the site name, else ``default``."""
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.") or site_name.strip() or default


def _without_headline(body: str, title: str) -> str:
    """The body without a first line that repeats the headline (the title is put back in front once)."""
    first, _, rest = body.partition("\n")
    if title and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.lstrip("\n")
    return body


def extract_page(html: str | bytes, default_outlet: str) -> Page:
    """The article in one saved page's HTML; ``default_outlet`` names it when the page does not."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                               date_extraction_params=dict(DATE_OPTIONS))
    except ValueError:
        document = None
    if document is None:
        return Page(title="", date="", outlet=default_outlet, url="", body="")
    title = " ".join((document.title or "").split())
    url = (document.url or "").strip()
    return Page(
        title=title,
        date=document.date or "",
        outlet=page_outlet(url, document.sitename or "", default_outlet),
        url=url,
        body=_without_headline((document.text or "").strip(), title),
    )
