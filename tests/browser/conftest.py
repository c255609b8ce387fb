"""Fixtures for the tests that open the course in a real browser.

The browser is Debian's Chromium at /usr/bin/chromium, driven by
Playwright; nothing here downloads a browser. `make test` installs the
chromium package first when it is missing and it can (root with apt-get).
Where it cannot, the browser tests are skipped with the reason, except
under CI (the variable CI is set), where a missing browser is a failure:
CI must never pass by skipping them.

JupyterLab runs from the environment that runs the tests (`make test`
uses .venv), on 127.0.0.1 with a free port and a fresh random token,
with its config, data, runtime, settings and workspace folders in a
temporary folder, serving copies of the notebooks: nothing the browser
does can change a committed file. Every request the browser makes to a
host other than 127.0.0.1 is blocked and recorded, so a test can assert
that a page works offline.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1"}
# Upper bounds, in seconds, for the slow steps; a healthy run takes a
# fraction of each.
SERVER_START = 90
SERVER_STOP = 15

# Local requests only: no proxy from the environment is ever used.
_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# Settings for the temporary JupyterLab user: render every cell (no
# virtual scrolling, so every output is in the page), never save, and
# never ask about news or updates.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false", "checkForUpdates": False},
}


def in_ci():
    return os.environ.get("CI", "").strip().lower() not in (
        "", "0", "false", "no")


def need_chromium():
    """Skip (or, under CI, fail) when Debian's Chromium is missing."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    reason = (f"{CHROMIUM} is missing: install Debian's chromium package "
              "(`make test` does so when run as root with apt-get)")
    if in_ci():
        pytest.fail(f"{reason}; CI must run the browser tests",
                    pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium; Playwright gives it a fresh, temporary profile."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
            headless=True, timeout=60_000)
        try:
            yield chromium
        finally:
            chromium.close()


class OfflinePage:
    """A page in its own browser context that may reach 127.0.0.1 only.

    ``blocked`` lists the URLs of requests to any other host, which are
    aborted before they leave the machine.
    """

    def __init__(self, browser):
        self.blocked = []
        self.errors = []
        self.context = browser.new_context(
            viewport={"width": 1400, "height": 1000})
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route):
        url = route.request.url
        scheme, host = urllib.parse.urlsplit(url)[:2]
        host = host.rsplit(":", 1)[0]
        if scheme in ("data", "blob", "about") or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def offline_page(browser):
    page = OfflinePage(browser)
    try:
        yield page
    finally:
        page.close()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """A JupyterLab server started for the tests, serving ``root``."""

    def __init__(self, base):
        self.root = base / "root"
        self.log_path = base / "jupyterlab.log"
        self.token = secrets.token_hex(24)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = self._environment(base)
        self.process = None

    def _environment(self, base):
        env = dict(os.environ)
        for name, folder in [
                ("JUPYTER_CONFIG_DIR", "config"),
                ("JUPYTER_DATA_DIR", "data"),
                ("JUPYTER_RUNTIME_DIR", "runtime"),
                ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"),
                ("IPYTHONDIR", "ipython")]:
            (base / folder).mkdir()
            env[name] = str(base / folder)
        for plugin, values in LAB_SETTINGS.items():
            path = (base / "settings" / plugin).with_suffix(
                ".jupyterlab-settings")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        return env

    def command(self):
        command = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser",
            "--ip=127.0.0.1", f"--port={self.port}", "--port-retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        return command

    def start(self, folders):
        for folder in folders:
            shutil.copytree(ROOT / folder, self.root / folder,
                            ignore=shutil.ignore_patterns(
                                ".ipynb_checkpoints"))
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.command(), cwd=self.root, env=self.env,
                stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + SERVER_START
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with {self.process.returncode}:\n"
                    + self.log_tail())
            try:
                self.api("GET", "status")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.25)
        raise RuntimeError(f"JupyterLab did not answer within "
                           f"{SERVER_START} s:\n" + self.log_tail())

    def api(self, method, path):
        request = urllib.request.Request(
            f"{self.url}/api/{path}?token={self.token}", method=method)
        with _LOCAL.open(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        """End every session and its kernel, so the next test starts clean."""
        for session in self.api("GET", "sessions"):
            self.api("DELETE", f"sessions/{session['id']}")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        # The server and whatever it started in its own process group.
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(SERVER_STOP)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(SERVER_STOP)

    def log_tail(self, lines=40):
        if not self.log_path.exists():
            return ""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def notebook_url(self, relative):
        return (f"{self.url}/lab/tree/{urllib.parse.quote(relative)}"
                f"?token={self.token}&reset")


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    need_chromium()
    # The free port is only free when it is picked; if another program
    # takes it first, JupyterLab exits at once: try again, on a new one.
    for attempt in range(3):
        server = LabServer(tmp_path_factory.mktemp("jupyterlab"))
        try:
            server.start(["chapters", "appendix"])
            break
        except RuntimeError:
            server.stop()
            if attempt == 2:
                raise
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def lab(lab_server):
    """The running server; every kernel is shut down after each test."""
    try:
        yield lab_server
    finally:
        if lab_server.process.poll() is None:
            try:
                lab_server.shutdown_kernels()
            except OSError:
                pass


@pytest.fixture(scope="session")
def screenshots():
    """build/screenshots/, emptied once per run so that what is there is
    what this run saw."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink(missing_ok=True)
    return SCREENSHOTS
