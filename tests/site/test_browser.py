"""The dashboard and the ledger in Debian's headless chromium: sorting, filtering, no console errors.

Screenshots (desktop 1280 px and phone 390 px wide) go to /tmp/reportgen-site-*.png.
"""

from __future__ import annotations

import base64
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reportgen.model import Records
from tests.site.helpers import render, sample_bulletins, serve_under, write_bulletin_pages, write_site

pytest_plugins = ["tests.site.fixtures"]

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SHOTS = Path(tempfile.gettempdir())

webdriver = pytest.importorskip("selenium.webdriver")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(
        "需要 Debian 的 chromium 和 chromium-driver（apt install chromium chromium-driver）", allow_module_level=True
    )

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


@pytest.fixture(scope="module")
def driver() -> Iterator[webdriver.Chrome]:
    """A headless chromium with its own throw-away profile and console logging."""
    profile = tempfile.mkdtemp(prefix="reportgen-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def office_site(private_office: Records, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The private office's public site served from a sub-path; yields the base URL."""
    site = write_site(
        render(private_office, "public"), tmp_path_factory.mktemp("browser"), sample_bulletins(private_office)
    )
    with serve_under(site) as base:
        yield base


def errors(driver: webdriver.Chrome) -> list[dict[str, object]]:
    """Console messages at error level since the last call."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def visible_ids(driver: webdriver.Chrome) -> list[str]:
    """The ids of the ledger rows shown."""
    return [
        row.get_attribute("id") or ""
        for row in driver.find_elements(By.CSS_SELECTOR, "#ledger tbody tr")
        if row.is_displayed()
    ]


def screenshot(driver: webdriver.Chrome, url: str, name: str) -> None:
    """Full-page screenshots at desktop and phone widths."""
    for width, label in ((1280, "desktop"), (390, "phone")):
        driver.set_window_size(width, 900)
        driver.get(url)
        height = int(driver.execute_script("return document.documentElement.scrollHeight"))
        driver.set_window_size(width, min(height + 120, 6000))
        driver.save_screenshot(str(SHOTS / f"reportgen-site-{name}-{label}.png"))


def test_dashboard_loads_without_errors(driver: webdriver.Chrome, office_site: str) -> None:
    driver.get(office_site + "index.html")
    assert "数据公开" in driver.find_element(By.TAG_NAME, "h1").text
    assert driver.find_elements(By.CSS_SELECTOR, "svg.chart")
    link = driver.find_element(By.CSS_SELECTOR, ".card .total a")
    link.click()
    assert "/sub/dir/lists/" in driver.current_url
    assert driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
    assert errors(driver) == []


def test_ledger_sorts_and_filters(driver: webdriver.Chrome, office_site: str) -> None:
    driver.set_window_size(1280, 900)
    driver.get(office_site + "ledger.html")
    assert visible_ids(driver) == ["Q0001", "Q0002", "Q0003", "Q0004", "Q0005"]
    heading = driver.find_element(By.XPATH, "//table[@id='ledger']//th[.//button[normalize-space()='编号']]")
    button = heading.find_element(By.TAG_NAME, "button")
    button.click()
    assert heading.get_attribute("aria-sort") == "ascending"
    button.click()
    assert heading.get_attribute("aria-sort") == "descending"
    assert visible_ids(driver) == ["Q0005", "Q0004", "Q0003", "Q0002", "Q0001"]
    days = driver.find_element(By.XPATH, "//table[@id='ledger']//th//button[normalize-space()='已用天数']")
    days.click()
    shown = [int(c.text) for c in driver.find_elements(By.CSS_SELECTOR, "#ledger tbody td.col-days_open")]
    assert shown == sorted(shown)
    search = driver.find_element(By.ID, "ledger-search")
    search.send_keys("用地")
    assert visible_ids(driver) == ["Q0003"]
    assert "1 / 5" in driver.find_element(By.ID, "ledger-count").text
    search.clear()
    search.send_keys(" ")  # clear() fires no input event
    Select(driver.find_element(By.ID, "ledger-status")).select_by_value("已解决")
    assert sorted(visible_ids(driver)) == ["Q0002", "Q0003"]
    assert errors(driver) == []


def test_ledger_sorts_dates_by_their_key_and_texts_by_themselves(driver: webdriver.Chrome, office_site: str) -> None:
    """A date sorts by its ISO form (its ``data-sort``), a text by itself (it says none)."""
    driver.set_window_size(1280, 900)
    driver.get(office_site + "ledger.html")
    driver.find_element(By.XPATH, "//table[@id='ledger']//th//button[normalize-space()='办结日期']").click()
    cells = driver.find_elements(By.CSS_SELECTOR, "#ledger tbody td.col-finished")
    keys = [c.get_attribute("data-sort") for c in cells]
    assert keys == sorted(keys)
    shown = [c.text for c in cells]
    assert shown[0] == "2021年8月10日" and shown[-1] == "2021年10月3日"  # 8月 before 10月: not the text's order
    driver.find_element(By.XPATH, "//table[@id='ledger']//th//button[normalize-space()='企业']").click()
    names = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "#ledger tbody td.col-enterprise")]
    assert names == sorted(names)  # by the text itself: these cells say no data-sort
    assert errors(driver) == []


def test_screenshots(driver: webdriver.Chrome, office_site: str, sample: Records, tmp_path: Path) -> None:
    """Screenshots of the sample office's site, to look at; the pages load without console errors."""
    site = write_site(render(sample, "public"), tmp_path / "site", sample_bulletins(sample))
    with serve_under(site) as base:
        for page in ("index.html", "ledger.html", "departments/D01.html", "archive.html"):
            screenshot(driver, base + page, page.replace("/", "-").removesuffix(".html"))
            assert errors(driver) == [], page


AXE = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
LAYOUT_PAGES = (
    "bulletins/2021-09-monthly.html",  # issued
    "bulletins/2021-11-monthly.html",  # a draft
    "index.html",
    "ledger.html",
    "departments/D01.html",
    "teams/T01.html",
)
# the page's width and, per table, its width against its frame's and whether the frame scrolls by design
MEASURE = """
return {
  page: document.scrollingElement.scrollWidth,
  view: window.innerWidth,
  tables: [...document.querySelectorAll('table')].map((t, i) => ({
    name: t.id || t.className || String(i),
    width: t.scrollWidth,
    frame: t.parentElement.clientWidth,
    scrolls: ['auto', 'scroll'].includes(getComputedStyle(t.parentElement).overflowX),
  })),
};
"""


def full_page_shot(driver: webdriver.Chrome, path: Path) -> None:
    """The whole page as PNG, beyond the window (Chrome's DevTools protocol)."""
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    options = {"format": "png", "captureBeyondViewport": True, "clip": clip}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", options)
    path.write_bytes(base64.b64decode(shot["data"]))


@pytest.fixture(scope="module")
def sample_site(sample: Records, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample's public site with the real web pages of an issued bulletin and a draft; yields its URL."""
    bulletins = sample_bulletins(sample)
    site = write_site(render(sample, "public"), tmp_path_factory.mktemp("layout"), bulletins)
    write_bulletin_pages(sample, site, [b for b in bulletins if b.html in LAYOUT_PAGES])
    with serve_under(site) as base:
        yield base


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("page", LAYOUT_PAGES)
def test_pages_fit_the_screen(driver: webdriver.Chrome, sample_site: str, page: str, width: int) -> None:
    """No sideways scroll; a table wider than its frame only inside a frame that scrolls, and none at 1280 px."""
    driver.set_window_size(width, 900)
    driver.get(sample_site + page)
    found = driver.execute_script(MEASURE)
    assert found["page"] <= found["view"], page
    clipped = [t["name"] for t in found["tables"] if t["width"] > t["frame"] and (width == 1280 or not t["scrolls"])]
    assert clipped == [], page
    full_page_shot(driver, SHOTS / f"reportgen-layout-{page.replace('/', '-').removesuffix('.html')}-{width}.png")
    assert errors(driver) == [], page


@pytest.mark.parametrize("page", LAYOUT_PAGES)
def test_axe_finds_no_violation(driver: webdriver.Chrome, sample_site: str, page: str) -> None:
    """axe-core (from the npm registry, scripts/dev.sh) reports no accessibility violation."""
    if not AXE.is_file():
        pytest.skip(f"没有 {AXE.name}：运行 scripts/dev.sh test，或 npm install --prefix .cache/axe axe-core")
    driver.set_window_size(1280, 900)
    driver.get(sample_site + page)
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    violations = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document).then(r => done(r.violations.map(v => [v.id, v.nodes.map(n => n.target.join(' '))])));"
    )
    assert violations == [], page
    assert len(driver.find_elements(By.TAG_NAME, "h1")) == 1, page
