"""The web editor in Debian's headless chromium: a clerk creates records through the forms, edits one.

``reportgen serve --edit`` runs on a copy of the sample records (a git repository, so the
test can read the diff); the forms are filled as a clerk would, picking records by name.
Screenshots go to /tmp/reportgen-cms-*.png.
"""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from reportgen.cms.editor import EditorError, decap_dir

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
SHOTS = Path(tempfile.gettempdir())
NEW_USCC = "91411600MA9XK7QP1C"

webdriver = pytest.importorskip("selenium.webdriver")
if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
    pytest.skip(
        "需要 Debian 的 chromium 和 chromium-driver（apt install chromium chromium-driver）", allow_module_level=True
    )
try:
    decap_dir()
except EditorError as missing:
    pytest.skip(f"{missing}", allow_module_level=True)

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

Chrome = webdriver.Chrome
# a date box is set as a script sets it (typing the year digit by digit races React's re-render)
_SET_VALUE = """const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
set.call(arguments[0], arguments[1]); arguments[0].dispatchEvent(new Event("input", {bubbles: true}));"""


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _wait_for(url: str, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer in {seconds:.0f} s")


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A copy of the sample records under git, served by ``reportgen serve --edit``; (records, base URL)."""
    repo = tmp_path_factory.mktemp("office")
    shutil.copytree(ROOT / "records", repo / "records")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "records")
    port = _free_port()
    command = [sys.executable, "-m", "reportgen", "serve", "records", "--out", "output", "--port", str(port), "--edit"]
    server = subprocess.Popen(command, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/index.html")
        yield repo / "records", base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def driver() -> Iterator[Chrome]:
    """A headless chromium (English date inputs: month/day/year) with a throw-away profile."""
    profile = tempfile.mkdtemp(prefix="reportgen-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--lang=en-US",
        "--window-size=1280,900",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    browser.implicitly_wait(10)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _open(driver: Chrome, base: str, route: str) -> None:
    """Open an editor page, logging in to the local backend first when asked."""
    driver.get("about:blank")  # a fresh page: a new hash alone would not reload the editor
    driver.get(f"{base}/admin/#/{route}")
    login = driver.find_elements(By.XPATH, "//button[contains(., '登录')]")
    if login:
        login[0].click()
        driver.get(f"{base}/admin/#/{route}")
    WebDriverWait(driver, 30).until(ec.presence_of_element_located((By.XPATH, "//label")))
    time.sleep(2)  # the form renders again once the entry and the relations' records are loaded


def _control(driver: Chrome, label: str, index: int = -1) -> WebElement:
    """The input a field label points at (the last one with that label by default: the newest list entry)."""
    labels = driver.find_elements(By.XPATH, f"//label[normalize-space(text())='{label}']")
    return driver.find_element(By.ID, labels[index].get_attribute("for") or "")


def _type(driver: Chrome, label: str, text: str, index: int = -1) -> None:
    control = _control(driver, label, index)
    control.send_keys(Keys.CONTROL, "a")
    control.send_keys(text)


def _pick(driver: Chrome, label: str, text: str, index: int = -1) -> None:
    """Choose in a select or relation field by typing what a clerk sees (a name) and taking the match."""
    control = _control(driver, label, index)
    control.send_keys(text)
    time.sleep(0.8)
    control.send_keys(Keys.ENTER)


def _date(driver: Chrome, label: str, day: str, index: int = -1) -> None:
    """Fill a date picker: the browser's date box takes month, day and year."""
    driver.execute_script(_SET_VALUE, _control(driver, label, index), day)


def _save(driver: Chrome) -> None:
    driver.find_element(By.XPATH, "//span[normalize-space(text())='发布']").click()
    driver.find_element(By.XPATH, "//*[normalize-space(text())='立即发布']").click()
    time.sleep(3)
    driver.save_screenshot(str(SHOTS / "reportgen-cms-saved.png"))


def _check(records: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", "check", str(records)], capture_output=True, text=True, check=False
    )


def _wait_for_text(url: str, text: str, seconds: float = 180.0) -> None:
    """Wait until the preview's rebuild puts ``text`` into the page at ``url``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url, timeout=5) as page:
            if text in page.read().decode("utf-8"):
                return
        time.sleep(1)
    raise AssertionError(f"{text} not in {url} after {seconds:.0f} s")


def test_a_clerk_creates_an_enterprise_and_an_issue(office: tuple[Path, str], driver: Chrome) -> None:
    records, base = office
    _open(driver, base, "collections/enterprise/new")
    assert _control(driver, "编号").get_attribute("value") == "E096"
    _type(driver, "企业名称", "周口市新立电子有限公司")
    _type(driver, "统一社会信用代码", NEW_USCC)
    _type(driver, "行业", "电子信息")
    _type(driver, "所在园区或位置", "周口高新区")
    _pick(driver, "企业规模", "小型")
    _date(driver, "入库日期", "2021-12-01")
    _type(driver, "姓名（不公开）", "李明")
    _type(driver, "电话（不公开）", "13800001096")
    driver.save_screenshot(str(SHOTS / "reportgen-cms-enterprise.png"))
    _save(driver)

    _open(driver, base, "collections/issue/new")
    assert _control(driver, "编号").get_attribute("value") == "Q0113"
    _pick(driver, "企业", "新立电子")
    _date(driver, "提出日期", "2021-12-02")
    _pick(driver, "发现途径", "走访")
    _pick(driver, "问题类别", "水电")
    _type(driver, "问题标题", "新厂房需要临时用电")
    _type(driver, "问题描述", "新厂房施工需要临时用电。")
    _pick(driver, "牵头单位", "川汇区供电")
    for day, status in (("2021-12-02", "问题收集"), ("2021-12-03", "分办交办")):
        driver.find_element(By.XPATH, "//button[contains(., '新增办理记录')]").click()
        _date(driver, "日期", day)
        _pick(driver, "状态", status)
    driver.save_screenshot(str(SHOTS / "reportgen-cms-issue.png"))
    # the preview beside the form: each field after its label, as the office writes it; a step's under the list's
    assert _preview(driver)[:8] == [
        "编号：Q0113",
        "企业：周口市新立电子有限公司（E096）",  # a record referred to as the picker shows it, with its id
        "提出日期：2021年12月2日",
        "发现途径：走访",
        "问题类别：水电",
        "问题标题：新厂房需要临时用电",
        "问题描述：新厂房施工需要临时用电。",
        "层级：区级",
    ]
    steps = ["日期：2021年12月2日", "状态：问题收集", "日期：2021年12月3日", "状态：分办交办"]
    assert _preview(driver)[-5:] == ["办理记录：", *steps]
    _save(driver)

    assert _git(records.parent, "status", "--short", "-uall", "records").splitlines() == [
        "?? records/enterprises/E096.yaml",
        "?? records/issues/2021-12/Q0113.yaml",
    ]
    enterprise = (records / "enterprises" / "E096.yaml").read_text("utf-8")
    assert '  phone: "13800001096"\n' in enterprise  # quoted: YAML would read 13800001096 as a number
    issue = yaml.safe_load((records / "issues" / "2021-12" / "Q0113.yaml").read_text("utf-8"))
    assert issue["enterprise"] == "E096"
    assert issue["lead_department"] == "D01"
    assert issue["history"] == [
        {"date": dt.date(2021, 12, 2), "status": "问题收集"},
        {"date": dt.date(2021, 12, 3), "status": "分办交办"},
    ]
    checked = _check(records)
    assert checked.returncode == 0, checked.stdout
    _wait_for_text(base + "/ledger.html", "新厂房需要临时用电")


def test_editing_a_record_changes_only_that_field(office: tuple[Path, str], driver: Chrome) -> None:
    """Open E001, change its industry, save: the diff is that line and the comment Decap's YAML writer drops."""
    records, base = office
    _open(driver, base, "collections/enterprise/entries/E001")
    _type(driver, "行业", "电子信息制造")
    _save(driver)
    diff = _git(records.parent, "diff", "-U0", "--", "records/enterprises/E001.yaml")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    # the header comment reportgen new writes is lost (Decap's YAML writer keeps no comments); quoting,
    # key order, dates and the phone number's quotes are as they were
    assert changed == ["-# 助企企业库：富士康(周口)科技工业园", "-industry: 电子信息", "+industry: 电子信息制造"]
    assert _check(records).returncode == 0


def test_a_bulletins_kind_reads_as_the_office_calls_it(office: tuple[Path, str], driver: Chrome) -> None:
    """The kind's select shows 月通报 (the file says monthly) and offers the other two by name; so does the preview,
    where the issue date reads 2021年10月8日."""
    _, base = office
    _open(driver, base, "collections/bulletin/entries/2021-09-monthly")
    field = _control(driver, "通报种类").find_element(By.XPATH, "ancestor::*[.//label][1]")
    assert "月通报" in field.text and "monthly" not in field.text
    _control(driver, "通报种类").click()
    time.sleep(0.5)
    offered = [option.text for option in driver.find_elements(By.XPATH, "//*[contains(@class, 'option')]")]
    driver.save_screenshot(str(SHOTS / "reportgen-cms-bulletin-kind.png"))
    assert [text for text in offered if text] == ["月通报", "季点评", "年度考核"]
    lines = _preview(driver)
    # the preview beside the form names the kind as the form does, and writes the date as the office does
    assert lines[:2] == ["通报种类：月通报", "时期：2021-09"]
    assert "印发日期：2021年10月8日" in lines and "2021-10-08" not in "\n".join(lines)


def test_the_preview_names_the_records_an_issue_refers_to(office: tuple[Path, str], driver: Chrome) -> None:
    """The preview writes each record the issue refers to as the form's pickers show it, its id after it: the
    enterprise, the department and the staff member by name, the visit by its date as the office writes it."""
    _, base = office
    _open(driver, base, "collections/issue/entries/2021-08/Q0001")
    named = "企业：富士康(周口)科技工业园（E001）"
    deadline = time.monotonic() + 15
    while named not in (lines := _preview(driver)) and time.monotonic() < deadline:
        time.sleep(0.5)  # each picker looks its record up once the form is shown
    driver.save_screenshot(str(SHOTS / "reportgen-cms-issue-preview.png"))
    shown = [named, "走访记录：2021年8月3日（V0001）", "牵头单位：国网周口市川汇区供电公司（D01）"]
    shown.append("责任人：薛刚（S037）")
    assert [line for line in lines if line in shown] == shown


def _preview(driver: Chrome) -> list[str]:
    """The lines of the preview beside the form."""
    driver.switch_to.frame(driver.find_element(By.ID, "preview-pane"))
    try:
        return [line for line in driver.find_element(By.TAG_NAME, "body").text.splitlines() if line.strip()]
    finally:
        driver.switch_to.default_content()
