"""The HTML editions in a real browser: headless Chromium, axe-core, screenshots (bench/browser_check.py).

Skipped, with the reason, where Chromium or axe-core is missing. To run it:
``apt-get install -y chromium`` and ``npm ci --prefix tests/browser``. Screenshots go to
``$FRAMING_BROWSER_OUT`` when set (else a temporary folder); ``pytest -s`` prints their paths.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

from .test_classroom import bundled_report

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("browser_check", REPO / "bench" / "browser_check.py")
browser_check = sys.modules.setdefault("browser_check", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(browser_check)

CHROMIUM = browser_check.find_chromium()
AXE = browser_check.find_axe()

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine: apt-get install -y chromium (or set $CHROMIUM)"),
    pytest.mark.skipif(AXE is None, reason=f"axe-core is not installed ({browser_check.AXE_PATH}): npm ci --prefix tests/browser"),
]


def _out(tmp_path_factory, name: str) -> Path:
    base = os.environ.get("FRAMING_BROWSER_OUT")
    return Path(base) / name if base else tmp_path_factory.mktemp(name)


def test_analyst_classroom_and_worksheet_pass_the_browser_check(tmp_path_factory):
    out = _out(tmp_path_factory, "browser-check")
    result = browser_check.check_report(bundled_report(), out, CHROMIUM, AXE)
    for path in result.files:
        print(f"screenshot: {path}" if path.suffix == ".png" else f"pdf: {path}")
    for warning in result.warnings:
        print(f"warning: {warning}")
    assert result.ok, "\n".join(result.failures)
    names = {path.name for path in result.files}
    assert {"analyst.png", "student.png", "worksheet.png", "worksheet-print.png", "student-number.png",
            "student-nojs.png", "worksheet-a4.pdf", "worksheet-letter.pdf"} <= names
    for path in result.files:
        assert path.is_file() and path.stat().st_size > 5_000, path
    assert browser_check.pdf_pages((out / "worksheet-a4.pdf").read_bytes()) >= 2


BROKEN = {
    "report.html": '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><main><h1>Report</h1>'
                   '<p>Text.</p><script>throw new Error("boom");</script></main></body></html>',
    "student.html": '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><main><h1>Student</h1>'
                    '<p style="color:#d8d8d8;background:#fff">Too faint to read.</p><img src="https://example.invalid/x.png">'
                    '</main></body></html>',
    "worksheet.html": '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><main><h1>Sheet</h1>'
                      '<h3>Skipped a level</h3><p>No teacher notes.</p></main></body></html>',
}


def test_the_browser_check_catches_broken_pages(tmp_path, tmp_path_factory):
    """The check can fail: script errors, poor contrast, missing alt text, network use, skipped headings, no notes page."""
    for name, html in BROKEN.items():
        (tmp_path / name).write_text(html, encoding="utf-8")
    result = browser_check.check_report(tmp_path, _out(tmp_path_factory, "browser-check-broken"), CHROMIUM, AXE)
    failures = "\n".join(result.failures)
    assert not result.ok
    assert "analyst: uncaught JavaScript exception" in failures and "boom" in failures
    assert "student: axe serious 'color-contrast'" in failures
    assert "student: axe critical 'image-alt'" in failures and "image(s) without alt text" in failures
    assert "the page asked the network for https://example.invalid/x.png" in failures
    assert "worksheet: heading level skipped (h1 followed by h3)" in failures
    assert "worksheet: print view could not run" in failures or "teacher's notes" in failures
    assert "student: no highlight switch" in failures
