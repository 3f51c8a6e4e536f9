"""Check the report's HTML editions in a real browser (headless Chromium), offline.

    python3 bench/browser_check.py [CORPUS] [--out DIR] [--report DIR]

Builds the report of CORPUS (default: the bundled ceasefire-call corpus) with the classroom
edition (``audience="students"``), unless ``--report`` names a folder that already holds one, then
for ``report.html``, ``student.html`` and ``worksheet.html``:

* takes a full-page screenshot (and one of the worksheet's print view, plus A4 and Letter PDFs,
  rasterized with ``pdftoppm`` when it is installed);
* fails on JavaScript errors (console errors and uncaught exceptions) and on any request that
  is not a ``file:`` or ``data:`` URL (the pages must work with no network);
* clicks a highlight switch and a number, with JavaScript on, and again with JavaScript off for
  the classroom edition (the switches must still work; the number must still lead to its words);
* checks the heading order (h1, then no level skipped) and that the worksheet's teacher notes
  start a new printed page;
* runs axe-core (WCAG 2.0/2.1 A and AA rules plus best practices) in each page: any serious or
  critical violation fails; the others are printed as warnings.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``), so
nothing beyond the Python standard library is needed. axe-core comes from the npm registry:
``npm ci --prefix tests/browser`` installs it into ``tests/browser/node_modules``. The browser is
``$CHROMIUM`` or the first of chromium, chromium-browser, google-chrome on the PATH.

Prints the path of every screenshot and PDF. Exit status: 0 all checks pass, 1 a check failed,
2 Chromium or axe-core is missing.
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
AXE_PATH = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
DEFAULT_CORPUS = REPO / "corpus" / "ceasefire-call-2025-03"
EDITIONS = {"analyst": "report.html", "student": "student.html", "worksheet": "worksheet.html"}
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
    "--allow-file-access-from-files", "--host-resolver-rules=MAP * ~NOTFOUND",
]
VIEWPORT = {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}
SCREENSHOT_MAX_HEIGHT = 16000  # Chromium's largest capture
FAILING_IMPACTS = ("serious", "critical")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PAPERS = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}
TIMEOUT = 60.0


class BrowserError(RuntimeError):
    """Chromium could not be started or stopped answering."""


def find_chromium() -> str | None:
    """The Chromium executable: ``$CHROMIUM``, else the first browser found on the PATH."""
    candidates = [os.environ.get("CHROMIUM", "")] + [shutil.which(name) or "" for name in
                                                      ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def find_axe() -> Path | None:
    """axe-core's browser bundle, as ``npm ci --prefix tests/browser`` installs it."""
    return AXE_PATH if AXE_PATH.is_file() else None


class Browser:
    """Headless Chromium spoken to over ``--remote-debugging-pipe`` (JSON messages ended by NUL)."""

    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="framing-chromium-")
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def plumb() -> None:  # in the child: the protocol reads fd 3 and writes fd 4
            # Copy both ends above 4 first: os.dup2(3, 3) would keep close-on-exec set.
            read_end = fcntl.fcntl(commands_read, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(replies_write, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3, inheritable=True)
            os.dup2(write_end, 4, inheritable=True)

        try:
            self.process = subprocess.Popen(
                [executable, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "--remote-debugging-pipe", "about:blank"],
                preexec_fn=plumb, close_fds=False, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
        finally:
            os.close(commands_read)
            os.close(replies_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            if self.process.poll() is None:
                try:
                    self.send("Browser.close")
                except (BrowserError, OSError):
                    pass
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
        finally:
            for descriptor in (self._commands, self._replies):
                try:
                    os.close(descriptor)
                except OSError:
                    pass
            shutil.rmtree(self.profile, ignore_errors=True)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode("utf-8") + b"\0"
        while data:
            try:
                written = os.write(self._commands, data)
            except BrokenPipeError as error:
                raise BrowserError("Chromium closed the DevTools pipe") from error
            data = data[written:]
        return self._next_id

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._replies], [], [], remaining)
            if ready:
                chunk = os.read(self._replies, 1 << 20)
                if not chunk:
                    raise BrowserError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = TIMEOUT) -> dict[str, Any]:
        """Send a command and wait for its reply; events that arrive meanwhile are kept in ``events``."""
        number = self.send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._read(deadline)
            if message.get("id") == number:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error'].get('message')}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method: str, session: str | None, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The first (kept or coming) event ``method`` of ``session``; it is removed from ``events``."""
        deadline = time.monotonic() + timeout
        while True:
            for number, event in enumerate(self.events):
                if event["method"] == method and event.get("sessionId") == session:
                    return self.events.pop(number)
            message = self._read(deadline)
            if "method" in message:
                self.events.append(message)

    def page(self, javascript: bool = True) -> Page:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        return Page(self, target, session, javascript)


class Page:
    """One tab: navigation, evaluation, clicks, screenshots, PDFs and what went wrong in it."""

    def __init__(self, browser: Browser, target: str, session: str, javascript: bool) -> None:
        self.browser, self.target, self.session = browser, target, session
        for domain in ("Page", "Runtime", "Log", "Network", "DOM", "CSS"):
            self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride", VIEWPORT)
        if not javascript:
            self.call("Emulation.setScriptExecutionDisabled", {"value": True})

    def call(self, method: str, params: dict[str, Any] | None = None, timeout: float = TIMEOUT) -> dict[str, Any]:
        return self.browser.call(method, params, self.session, timeout)

    def open(self, url: str) -> None:
        self.call("Page.navigate", {"url": url})
        self.browser.wait_for("Page.loadEventFired", self.session)

    def close(self) -> None:
        self.browser.call("Target.closeTarget", {"targetId": self.target})

    def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                 "awaitPromise": await_promise}, timeout=120)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError(details.get("exception", {}).get("description") or details.get("text", "evaluation failed"))
        return result["result"].get("value")

    def node(self, selector: str) -> int:
        root = self.call("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = self.call("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        if not node:
            raise BrowserError(f"no element matches {selector!r}")
        return node

    def click(self, selector: str) -> None:
        """A real mouse click (works with JavaScript off) in the middle of the element."""
        node = self.node(selector)
        self.call("DOM.scrollIntoViewIfNeeded", {"nodeId": node})
        quad = self.call("DOM.getContentQuads", {"nodeId": node})["quads"][0]
        x, y = sum(quad[0::2]) / 4, sum(quad[1::2]) / 4
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def key(self, key: str, code: str, key_code: int) -> None:
        for kind in ("rawKeyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": key_code})

    def style(self, selector: str) -> dict[str, str]:
        """Computed style of the first match, read through the CSS domain (no page script needed)."""
        styles = self.call("CSS.getComputedStyleForNode", {"nodeId": self.node(selector)})["computedStyle"]
        return {item["name"]: item["value"] for item in styles}

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        """A PNG of the whole page (up to ``SCREENSHOT_MAX_HEIGHT`` pixels) or of what the viewport shows."""
        if full_page:
            metrics = self.call("Page.getLayoutMetrics")
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            height = min(int(size["height"]) + 1, SCREENSHOT_MAX_HEIGHT)
            params = {"format": "png", "captureBeyondViewport": True,
                      "clip": {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height, "scale": 1}}
        else:
            params = {"format": "png"}
        shot = self.call("Page.captureScreenshot", params, timeout=120)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def pdf(self, path: Path, paper: tuple[float, float]) -> Path:
        width, height = paper
        result = self.call("Page.printToPDF", {"paperWidth": width, "paperHeight": height, "printBackground": True,
                                               "preferCSSPageSize": False}, timeout=120)
        path.write_bytes(base64.b64decode(result["data"]))
        return path

    def drain(self) -> list[dict[str, Any]]:
        """Remove and return this tab's events so far."""
        mine = [event for event in self.browser.events if event.get("sessionId") == self.session]
        self.browser.events = [event for event in self.browser.events if event.get("sessionId") != self.session]
        return mine


@dataclass
class Result:
    """What the check found: failures (the check fails), warnings, and the files it wrote."""

    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def problems_in(events: list[dict[str, Any]], edition: str) -> list[str]:
    """JavaScript errors and non-local requests among a tab's events."""
    problems = []
    for event in events:
        method, params = event["method"], event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "")
            problems.append(f"{edition}: uncaught JavaScript exception: {text}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            problems.append(f"{edition}: console.{params['type']}: {text}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            problems.append(f"{edition}: console error: {params['entry'].get('text', '')}")
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not url.startswith(("file:", "data:", "about:")):
                problems.append(f"{edition}: the page asked the network for {url}")
    return problems


HEADINGS_JS = "Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).filter(h => !h.closest('dialog')).map(h => Number(h.tagName[1]))"


def heading_problems(levels: list[int], edition: str) -> list[str]:
    """h1 first, exactly one h1, and never a level skipped on the way down."""
    problems = []
    if not levels or levels[0] != 1:
        problems.append(f"{edition}: the first heading is not an h1")
    if levels.count(1) != 1:
        problems.append(f"{edition}: {levels.count(1)} h1 headings")
    for before, after in zip(levels, levels[1:]):
        if after > before + 1:
            problems.append(f"{edition}: heading level skipped (h{before} followed by h{after})")
            break
    return problems


def run_axe(page: Page, axe_source: str, edition: str, result: Result) -> None:
    page.evaluate(axe_source)
    options = json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    violations = page.evaluate(
        f"axe.run(document, {options}).then(r => r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help, "
        f"nodes: v.nodes.length, target: v.nodes.slice(0, 3).map(n => n.target.join(' '))}})))", await_promise=True)
    for violation in violations:
        text = (f"{edition}: axe {violation['impact']} '{violation['id']}' ({violation['help']}) on "
                f"{violation['nodes']} element(s), e.g. {', '.join(violation['target'])}")
        (result.failures if violation["impact"] in FAILING_IMPACTS else result.warnings).append(text)


# Finds a highlight switch and a word in an article highlighted by that category alone (marked
# data-check=sole); returns the switch's id, or null. Each switch's label holds a sample span whose
# last class is the class the switch controls. DevTools evaluates it even with the page's JavaScript off.
FIRST_SOLE_HIGHLIGHT_JS = """(() => {
  const toggles = Array.from(document.querySelectorAll('.toggles input[type=checkbox]'));
  const controls = t => { const s = document.querySelector('label[for="' + t.id + '"] span'); return s ? s.className.split(' ').pop() : ''; };
  for (const toggle of toggles) {
    const own = controls(toggle);
    const others = toggles.filter(t => t !== toggle).map(controls);
    const span = own && Array.from(document.querySelectorAll('article .' + own)).find(s => !others.some(o => s.classList.contains(o)));
    if (span) { span.setAttribute('data-check', 'sole'); return toggle.id; }
  }
  return null;
})()"""


def check_switch(page: Page, edition: str, toggle: str, result: Result) -> None:
    """Switching a category off clears its highlights (read through the CSS domain); on again restores them."""
    before = page.style("[data-check=sole]")
    page.click(f"#{toggle}")
    after = page.style("[data-check=sole]")
    page.click(f"#{toggle}")
    restored = page.style("[data-check=sole]")
    if not (after.get("background-color") in ("rgba(0, 0, 0, 0)", "transparent")
            and after.get("border-bottom-color") in ("rgba(0, 0, 0, 0)", "transparent")
            and after.get("box-shadow", "none") == "none"):
        result.failures.append(f"{edition}: switching '{toggle}' off left its highlight visible ({after.get('background-color')})")
    if restored.get("background-color") != before.get("background-color") or restored.get("border-bottom-color") != before.get("border-bottom-color"):
        result.failures.append(f"{edition}: switching '{toggle}' on again did not restore its highlight")


def check_page(browser: Browser, folder: Path, out: Path, edition: str, axe_source: str, result: Result) -> None:
    """Screenshot, headings, interactions, print view and axe audit of one edition, JavaScript on."""
    page = browser.page()
    page.open((folder / EDITIONS[edition]).resolve().as_uri())
    result.files.append(page.screenshot(out / f"{edition}.png"))
    steps = [check_structure] + ([check_interactions] if edition in ("analyst", "student") else []) \
        + ([check_print] if edition == "worksheet" else [])
    for step in steps:
        try:
            step(page, out, edition, result)
        except BrowserError as error:
            result.failures.append(f"{edition}: {step.__name__.replace('_', ' ')} could not run: {error}")
    run_axe(page, axe_source, edition, result)
    result.failures.extend(problems_in(page.drain(), edition))
    page.close()


def check_structure(page: Page, out: Path, edition: str, result: Result) -> None:
    """Headings in order; every image described."""
    result.failures.extend(heading_problems(page.evaluate(HEADINGS_JS), edition))
    unlabelled = page.evaluate("Array.from(document.querySelectorAll('img')).filter(i => !i.getAttribute('alt')).length")
    if unlabelled:
        result.failures.append(f"{edition}: {unlabelled} image(s) without alt text")


def check_interactions(page: Page, out: Path, edition: str, result: Result) -> None:
    """A highlight switch hides and restores its words; a number opens its sentences; keyboard reachable."""
    toggle = page.evaluate(FIRST_SOLE_HIGHLIGHT_JS)
    if toggle is None:
        result.failures.append(f"{edition}: no highlight switch with a highlighted word to try")
    else:
        check_switch(page, edition, toggle, result)
    if not page.evaluate("document.querySelectorAll('article [tabindex=\"0\"]').length"):
        result.failures.append(f"{edition}: no highlighted word can be reached with the keyboard")
    if not page.evaluate("(() => { const a = document.querySelector('table a[href^=\"#ev-\"]');"
                         " if (a) a.setAttribute('data-check', 'number'); return !!a; })()"):
        result.failures.append(f"{edition}: no number in a table links to its evidence")
        return
    href = page.evaluate("document.querySelector('[data-check=number]').getAttribute('href')")
    page.click("[data-check=number]")
    if page.evaluate("!document.getElementById('peek')"):
        check_jump(page, edition, href, result, out / f"{edition}-number.png")  # no script here: a plain link
        return
    opened = page.evaluate("(() => { const d = document.getElementById('peek'); return [d.open,"
                           " d.querySelectorAll('blockquote').length, d.contains(document.activeElement)]; })()")
    if not (opened[0] and opened[1]):
        result.failures.append(f"{edition}: clicking a number did not show its sentences (open={opened[0]}, sentences={opened[1]})")
    elif not opened[2]:
        result.failures.append(f"{edition}: the sentences dialog did not take the keyboard focus")
    else:
        result.files.append(page.screenshot(out / f"{edition}-number.png", full_page=False))
        page.key("Escape", "Escape", 27)
        if page.evaluate("document.getElementById('peek').open"):
            result.failures.append(f"{edition}: Escape did not close the sentences dialog")


def check_jump(page: Page, edition: str, href: str, result: Result, shot: Path | None = None) -> None:
    """After a click on a number linking to ``href``: the page shows that block, marked as the target."""
    state = page.evaluate("[location.hash, document.querySelector(':target') &&"
                          " document.querySelector(':target').getBoundingClientRect().top]")
    if state[0] != href:
        result.failures.append(f"{edition}: clicking a number did not lead to its words (at '{state[0]}', wanted '{href}')")
    elif state[1] is None or not -2 <= state[1] < VIEWPORT["height"]:
        result.failures.append(f"{edition}: the words behind the number are not scrolled into view")
    elif page.style(href).get("outline-style") in (None, "none"):
        result.failures.append(f"{edition}: the words a number leads to are not marked (:target)")
    elif shot is not None:
        result.files.append(page.screenshot(shot, full_page=False))


def check_print(page: Page, out: Path, edition: str, result: Result) -> None:
    """The worksheet's print view: PDFs on A4 and Letter, the teacher's notes on a page of their own."""
    for paper, size in PAPERS.items():
        path = page.pdf(out / f"worksheet-{paper}.pdf", size)
        result.files.append(path)
        pages = pdf_pages(path.read_bytes())
        if pages < 2:
            result.failures.append(f"worksheet: the {paper} PDF has {pages} page(s); the teacher's notes need their own page")
        if paper == "a4":
            result.files.extend(rasterize(path, out))
    page.call("Emulation.setEmulatedMedia", {"media": "print"})
    breaks = page.style("#teacher").get("break-before")
    if breaks != "page":
        result.failures.append(f"worksheet: in print, the teacher's notes do not start a new page (break-before: {breaks})")
    hidden = page.style(".screen-only").get("display")
    if hidden != "none":
        result.failures.append("worksheet: the on-screen instructions are printed")
    result.files.append(page.screenshot(out / "worksheet-print.png"))
    page.call("Emulation.setEmulatedMedia", {"media": ""})


def pdf_pages(data: bytes) -> int:
    """Pages in a PDF: the largest /Count of its page tree (Chromium writes it uncompressed)."""
    counts = [int(value) for value in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data)]
    counts += [int(value) for value in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data)]
    return max(counts, default=len(re.findall(rb"/Type\s*/Page\b", data)))


def rasterize(pdf: Path, out: Path) -> list[Path]:
    """The PDF's first and last pages as PNG files, when poppler's pdftoppm is installed."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    prefix = out / pdf.stem
    subprocess.run([tool, "-png", "-r", "60", str(pdf), str(prefix)], check=True, capture_output=True)
    return sorted(out.glob(f"{pdf.stem}-*.png"))


def check_without_javascript(browser: Browser, folder: Path, out: Path, result: Result) -> None:
    """The classroom edition with the page's JavaScript off: it reads, the switches work, a number jumps
    to its words. (DevTools may still evaluate expressions to find elements; the page's script does not run.)"""
    edition = "student (no JavaScript)"
    page = browser.page(javascript=False)
    page.open((folder / EDITIONS["student"]).resolve().as_uri())
    result.files.append(page.screenshot(out / "student-nojs.png", full_page=False))
    toggle = page.evaluate(FIRST_SOLE_HIGHLIGHT_JS)
    if toggle is None:
        result.failures.append(f"{edition}: no highlight switch with a highlighted word to try")
    else:
        check_switch(page, edition, toggle, result)
    href = page.evaluate("(() => { const a = document.querySelector('table a[href^=\"#ev-\"]');"
                         " a.setAttribute('data-check', 'number'); return a.getAttribute('href'); })()")
    page.click("[data-check=number]")
    if page.evaluate("document.getElementById('peek').open"):
        result.failures.append(f"{edition}: the page's script ran although JavaScript is off")
    check_jump(page, edition, href, result, out / "student-nojs-number.png")
    result.failures.extend(problems_in(page.drain(), edition))
    page.close()


def check_report(folder: Path, out: Path, chromium: str, axe: Path) -> Result:
    """Run every check on the report in ``folder``; screenshots and PDFs go to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    result = Result()
    missing = [name for name in EDITIONS.values() if not (folder / name).is_file()]
    if missing:
        result.failures.append(f"{folder} lacks {', '.join(missing)}: build it with audience='students'")
        return result
    axe_source = axe.read_text(encoding="utf-8")
    with Browser(chromium) as browser:
        for edition in EDITIONS:
            check_page(browser, folder, out, edition, axe_source, result)
        try:
            check_without_javascript(browser, folder, out, result)
        except BrowserError as error:
            result.failures.append(f"student (no JavaScript): the check could not run: {error}")
    return result


def build(corpus: Path, folder: Path) -> Path:
    """The report of ``corpus`` with its classroom edition, written into ``folder``."""
    sys.path.insert(0, str(REPO))
    import framing

    framing.render_report(framing.score(framing.load_corpus(corpus)), folder, audience="students")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS, help="corpus to build the report of")
    parser.add_argument("--out", type=Path, default=REPO / "reports" / "browser-check",
                        help="folder for the report, the screenshots and the PDFs")
    parser.add_argument("--report", type=Path, help="check this report folder instead of building one")
    args = parser.parse_args(argv)
    chromium, axe = find_chromium(), find_axe()
    if chromium is None:
        print("browser check: no Chromium (install it, e.g. apt-get install -y chromium, or set $CHROMIUM)", file=sys.stderr)
        return 2
    if axe is None:
        print(f"browser check: axe-core missing ({AXE_PATH}); run: npm ci --prefix tests/browser", file=sys.stderr)
        return 2
    folder = args.report or build(args.corpus, args.out / "report")
    result = check_report(folder, args.out, chromium, axe)
    for path in result.files:
        print(f"wrote {path}")
    for warning in result.warnings:
        print(f"warning: {warning}")
    for failure in result.failures:
        print(f"FAIL: {failure}")
    print("browser check: " + ("passed" if result.ok else f"{len(result.failures)} failure(s)"))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
