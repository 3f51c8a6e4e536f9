"""framing.report: the report a careful reader would write about the bundled articles."""

from __future__ import annotations

import re

import pytest

from framing import build_report, compare


USA_TODAY, BLOG, REPORT = "USA Today (summary)", "Unattributed blog", "Unattributed report"


@pytest.fixture(scope="module")
def html(scored) -> str:
    return build_report(scored)["report.html"].decode("utf-8")


@pytest.mark.parametrize("column, highest, outlet", [
    ("tone", True, BLOG),              # "landmark", "glimmer of hope", "Changes Everything"
    ("boosters_per_1k", True, BLOG),
    ("hedges_per_1k", True, BLOG),       # speculation: "could" seven times, "whether", "remains unclear"
    ("hedges_modal_per_1k", True, BLOG),
    ("hedges_approximator_per_1k", True, USA_TODAY),  # "approximately 20%", "over an hour"
    ("hedges_attribution_per_1k", True, REPORT),      # "according to", "as noted by", "as stated in"
    ("quote_share", True, REPORT),       # the Kremlin's and White House's statements in «guillemets»
])
def test_leaders_match_a_careful_reading(scored, column: str, highest: bool, outlet: str):
    assert compare(scored).leader(column, highest=highest) == outlet


def test_summary_states_each_leader_with_a_link_to_evidence(html: str):
    summary = html.split('<section id="comparison">')[0]
    for outlet, claim in [(BLOG, "is the most upbeat"), (BLOG, "boosts its claims most"),
                          (BLOG, "hedges most"), (BLOG, "hedges mostly with modal verbs"),
                          (USA_TODAY, "hedges mostly with epistemic words"), (REPORT, "leans most on direct quotes")]:
        assert f"{outlet} {claim}" in summary
    anchors = re.findall(r'href="#(ev-[^"]+)"', html)
    assert anchors
    for anchor in set(anchors):
        assert f'id="{anchor}"' in html


def test_every_table_number_links_to_evidence_with_words(html: str):
    table = html.split('<section id="comparison">')[1].split("</table>")[0]
    cells = re.findall(r'<td><a href="#(ev-[^"]+)">([^<]+)</a></td>', table)
    assert len(cells) >= 3 * 10
    anchor = next(anchor for anchor, _ in cells if anchor.startswith("ev-hedges_per_1k-"))
    block = html.split(f'id="{anchor}"')[1].split("</section>")[0]
    assert "<blockquote>" in block and 'class="hl hl-hedges' in block


def test_articles_are_highlighted_and_exclusions_shown(html: str):
    articles = html.split('<section id="articles">')[1].split('<section id="style">')[0]
    assert articles.count("<article ") == 3
    assert 'class="excluded"' in articles and "LEAVE A REPLY" in articles
    assert re.search(r'class="hl hl-evaluative[^"]*"[^>]*>landmark<', articles)


def test_methods_list_lexicon_hashes(scored, html: str):
    for lexicon in scored.lexicons.lexicons:
        assert lexicon.sha256 in html


def test_markdown_report_has_the_same_summary(scored):
    markdown = build_report(scored)["report.md"].decode("utf-8")
    assert f"{BLOG} is the most upbeat" in markdown
    assert "| Measure |" in markdown and "](#ev-tone-o" in markdown
