"""Open a page in headless Chromium and take a screenshot, watching what the page does.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``), so
no Python package and no downloaded browser is needed — only a Chromium binary (Debian:
``apt-get install chromium fonts-noto-cjk``). :func:`open_page` loads a file and reports
every console error, uncaught exception, log error and network request the page made;
the tests use it to check that the pages make no request and raise no error, and the
documentation's screenshots are taken with it.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from attrs import define, field

__all__ = ["BrowserError", "PageRun", "find_chromium", "open_page"]

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class BrowserError(RuntimeError):
    """Chromium could not be started or stopped answering."""


def find_chromium() -> str | None:
    """The path of a Chromium (or Chrome) binary: ``$CHROMIUM``, ``/usr/bin/chromium``, or
    one on ``PATH``; ``None`` when there is none."""
    given = os.environ.get("CHROMIUM")
    if given and os.access(given, os.X_OK):
        return given
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@define
class PageRun:
    """What happened while a page was open."""

    url: str
    #: console messages of type error/assert, uncaught exceptions and log entries of level error
    errors: list[str] = field(factory=list)
    #: every URL the page requested (the page itself included)
    requests: list[str] = field(factory=list)
    #: the values of the ``evaluate`` expressions, in order
    results: list[Any] = field(factory=list)
    screenshot: bytes | None = None

    @property
    def external_requests(self) -> list[str]:
        """Requests other than the page's own file and ``data:`` URIs."""
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]


class _Pipe:
    """The DevTools protocol over Chromium's pipe: NUL-terminated JSON messages."""

    def __init__(self, proc: subprocess.Popen[bytes], write_fd: int, read_fd: int) -> None:
        self.proc = proc
        self.write_fd = write_fd
        self.read_fd = read_fd
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:  # fmt: skip
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, session: str, timeout: float = 30.0) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method and event.get("sessionId") == session:
                return event
        deadline = time.monotonic() + timeout
        while True:
            event = self._read(deadline)
            self.events.append(event)
            if event.get("method") == method and event.get("sessionId") == session:
                return event

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self.read_fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium exited (status {self.proc.poll()})")
            self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(message)


def _high(fd: int) -> int:
    """``fd`` moved above the descriptors the child's 3 and 4 could collide with."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


def open_page(
    path: str | os.PathLike[str],
    *,
    width: int = 1500,
    height: int = 1000,
    full_page: bool = False,
    screenshot: bool = True,
    evaluate: Sequence[str] = (),
    settle: float = 0.3,
    executable: str | None = None,
) -> PageRun:
    """Load the HTML file at ``path`` in a ``width`` × ``height`` viewport, run each of
    ``evaluate`` (JavaScript expressions, awaited), take a PNG screenshot (of the whole
    page with ``full_page``) and report what the page did."""
    binary = executable or find_chromium()
    if binary is None:
        raise BrowserError("no Chromium found (apt-get install chromium fonts-noto-cjk)")
    url = Path(path).resolve().as_uri()
    to_chrome_r, to_chrome_w = (_high(fd) for fd in os.pipe())
    from_chrome_r, from_chrome_w = (_high(fd) for fd in os.pipe())
    profile = tempfile.mkdtemp(prefix="govreport-chromium-")
    args = [
        binary, "--headless=new", "--remote-debugging-pipe", "--disable-gpu",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--metrics-recording-only", "--mute-audio",
        "--hide-scrollbars", "--force-color-profile=srgb", f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
    ]  # fmt: skip
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run its sandbox as root

    def fds() -> None:  # in the child: the pipe's ends where Chromium expects them
        os.dup2(to_chrome_r, 3)
        os.dup2(from_chrome_w, 4)

    proc = subprocess.Popen(
        [*args, "about:blank"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=False,  # Python's own descriptors are close-on-exec; 3 and 4 are not
        preexec_fn=fds,
    )
    os.close(to_chrome_r)
    os.close(from_chrome_w)
    pipe = _Pipe(proc, to_chrome_w, from_chrome_r)
    run = PageRun(url)
    try:
        target = pipe.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            pipe.send(f"{domain}.enable", session=session)
        pipe.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        pipe.send("Page.navigate", {"url": url}, session=session)
        pipe.wait_for("Page.loadEventFired", session)
        pipe.send(
            "Runtime.evaluate",
            {"expression": "document.fonts.ready.then(() => true)", "awaitPromise": True},
            session=session,
        )
        for expression in evaluate:
            got = pipe.send(
                "Runtime.evaluate",
                {"expression": expression, "awaitPromise": True, "returnByValue": True},
                session=session,
            )
            if "exceptionDetails" in got:
                run.errors.append(f"evaluate {expression!r}: {got['exceptionDetails']}")
            run.results.append(got.get("result", {}).get("value"))
        time.sleep(settle)
        if screenshot:
            shot = pipe.send(
                "Page.captureScreenshot",
                {"format": "png", "captureBeyondViewport": full_page},
                session=session,
            )
            run.screenshot = base64.b64decode(shot["data"])
        # collect the events that arrived meanwhile
        pipe.send("Runtime.evaluate", {"expression": "1"}, session=session)
    finally:
        with contextlib.suppress(BrowserError, OSError):
            pipe.send("Browser.close", timeout=5)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(to_chrome_w)
        os.close(from_chrome_r)
        shutil.rmtree(profile, ignore_errors=True)
    for event in pipe.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            run.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            texts = [str(a.get("value", a.get("description", ""))) for a in params.get("args", [])]
            run.errors.append("console: " + " ".join(texts))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            run.errors.append(
                "exception: " + str(details.get("exception", {}).get("description") or details)
            )
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            run.errors.append(f"log: {entry.get('text')} {entry.get('url', '')}".strip())
    return run
