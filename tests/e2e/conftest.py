"""Browser fixtures for the end-to-end journeys: Debian Chromium driven by Playwright, axe-core.

The browser is the Chromium found on PATH (``chromium`` or ``chromium-browser``), or the one named
by ``CHROMIUM_PATH``. Playwright never downloads a browser. Without a browser the journeys are
skipped with a reason, except on CI (``CI=true``), where a missing browser fails the run.

Every request the browser makes to a host other than 127.0.0.1 is aborted and reported as a
test failure, and the live server listens on 127.0.0.1, so nothing leaves the machine.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Generator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls we make there
# (test data, assertions) are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1"}
BLOCKING_IMPACTS = {"serious", "critical"}


def _is_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def chromium_executable() -> str | None:
    """CHROMIUM_PATH if set (it must exist), else chromium / chromium-browser on PATH."""
    override = os.environ.get("CHROMIUM_PATH")
    if override:
        path = Path(override)
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def live_server(request) -> Generator:
    """pytest-django's live server, but on 127.0.0.1 instead of ``localhost`` by default."""
    from pytest_django.live_server_helper import LiveServer

    addr = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "127.0.0.1"
    )
    server = LiveServer(addr)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Generator:
    executable = chromium_executable()
    if executable is None:
        where = (
            f"CHROMIUM_PATH={os.environ['CHROMIUM_PATH']!r} is not an executable file"
            if os.environ.get("CHROMIUM_PATH")
            else "no 'chromium' or 'chromium-browser' on PATH (or set CHROMIUM_PATH)"
        )
        if _is_ci():
            pytest.fail(f"CI=true but no Chromium for the browser tests: {where}", pytrace=False)
        pytest.skip(f"browser tests need Chromium: {where}")

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(browser, live_server, request) -> Generator:
    """A fresh context and page per test; only 127.0.0.1 is reachable. Screenshot on failure."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-BE",
        timezone_id="Europe/Brussels",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
        service_workers="block",
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(20_000)
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    page = context.new_page()
    yield page

    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        results = Path(request.config.rootpath) / "test-results"
        results.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        try:
            page.screenshot(path=str(results / f"{name}.png"), full_page=True)
        except Exception as exc:  # a broken page must not hide the real failure
            print(f"could not save a screenshot: {exc}")
    context.close()
    assert not outside, f"the browser tried to reach hosts other than 127.0.0.1: {outside}"


def axe_violations(page) -> list[dict]:
    """All axe-core violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]


def assert_accessible(page, *, impacts: set[str] | frozenset[str] = BLOCKING_IMPACTS) -> None:
    """Fail with a readable list when axe-core finds serious or critical violations."""
    blocking = [v for v in axe_violations(page) if v.get("impact") in impacts]
    if not blocking:
        return
    lines = [f"axe-core found {len(blocking)} blocking violation(s) on {page.url}:"]
    for violation in blocking:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"    at {target}: {node.get('html', '')[:200]}")
            for summary in node.get("failureSummary", "").strip().splitlines():
                lines.append(f"      {summary.strip()}")
    pytest.fail("\n".join(lines), pytrace=False)
