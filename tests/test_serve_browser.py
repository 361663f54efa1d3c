"""The workbench in a real headless Chromium (issue 18, "done means"): open it, check the sample draft,
accept one finding, reject another, export the 审查意见 and the dataset, run ``normcheck eval`` on it.

Needs Debian's ``chromium`` and ``chromium-driver`` packages and the ``selenium`` package (in [dev]);
skipped with a message when any is missing. The server is a real ``normcheck serve`` on 127.0.0.1 using the
environment's corpus index when there is one (``$NORMCHECK_HOME``). Screenshots go to the test's tmp folder,
and to ``$NORMCHECK_SCREENSHOTS`` when set (``NORMCHECK_SCREENSHOTS=docs`` regenerates docs/workbench-*.png).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from normcheck.paths import data_file

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
if CHROMIUM is None or DRIVER is None:
    pytest.skip("headless browser test skipped: needs Debian's chromium and chromium-driver "
                "(apt-get install -y chromium chromium-driver)", allow_module_level=True)
pytest.importorskip("selenium", reason="headless browser test skipped: pip install selenium (in [dev])")
pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from tests.test_serve_durability import free_port, start_server  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         "--window-size=1400,1000", "--lang=zh-CN"]


def _driver(downloads: Path) -> Any:
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for f in FLAGS:
        opts.add_argument(f)
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False,
                                           "safebrowsing.enabled": False})
    return webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=opts)


def _wait_file(folder: Path, name: str, timeout: float = 30) -> Path:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        p = folder / name
        if p.is_file() and p.stat().st_size > 0 and not list(folder.glob("*.crdownload")):
            return p
        time.sleep(0.1)
    raise AssertionError(f"{name} was not downloaded; {sorted(x.name for x in folder.iterdir())}")


def _shot(driver: Any, tmp: Path, name: str, full: bool = True) -> None:
    if full:  # the whole page, not just the viewport
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(1400, min(int(height) + 40, 6000))
    path = tmp / name
    driver.save_screenshot(str(path))
    dest = os.environ.get("NORMCHECK_SCREENSHOTS")
    if dest:
        Path(dest).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(dest) / name)
    driver.set_window_size(1400, 1000)


@pytest.mark.timeout(300)
def test_review_in_the_browser(tmp_path: Path) -> None:
    data, downloads = tmp_path / "data", tmp_path / "downloads"
    downloads.mkdir()
    port = free_port()
    home = Path(os.environ.get("NORMCHECK_HOME") or Path.home() / ".cache" / "normcheck")
    server = start_server(data, port, home, root=tmp_path)
    driver = _driver(downloads)
    base = f"http://127.0.0.1:{port}"
    wait = WebDriverWait(driver, 120)
    try:
        driver.get(base + "/")
        assert driver.find_element(By.CSS_SELECTOR, "body").get_attribute("data-ready") == "1"  # our script ran
        name = driver.find_element(By.ID, "reviewer-name")
        name.clear()
        name.send_keys("审查员甲")
        name.submit()
        wait.until(ec.staleness_of(name))  # the redirect has loaded a new page
        wait.until(ec.presence_of_element_located((By.ID, "upload-files")))
        driver.find_element(By.ID, "upload-files").send_keys(str(data_file("sample_draft.txt")))
        driver.find_element(By.ID, "up-as-of").send_keys("2026-12-01")
        driver.find_element(By.ID, "upload-submit").click()
        # the page polls the job and reloads when it is done
        link = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "a.doc-link")))
        assert "某市共享电动自行车停放管理办法" in link.text
        _shot(driver, tmp_path, "workbench-index.png")
        link.click()
        wait.until(ec.presence_of_element_located((By.ID, "doc-title")))
        findings = driver.find_elements(By.CSS_SELECTOR, "#flagged .finding[data-n]")
        assert len(findings) >= 2
        first, second = (int(str(f.get_attribute("data-n"))) for f in findings[:2])
        msg_first = driver.find_element(By.CSS_SELECTOR, f"#f-{first} .msg").text
        msg_second = driver.find_element(By.CSS_SELECTOR, f"#f-{second} .msg").text
        _shot(driver, tmp_path, "workbench-document.png")
        driver.find_element(By.ID, f"accept-{first}").click()
        wait.until(ec.presence_of_element_located((By.ID, f"state-{first}")))
        driver.find_element(By.ID, f"reject-open-{second}").click()
        driver.find_element(By.ID, f"reason-{second}").send_keys("上位法已有规定，本条仅作细化")
        driver.find_element(By.ID, f"reject-{second}").click()
        state = wait.until(ec.presence_of_element_located((By.ID, f"state-{second}")))
        assert "已驳回" in state.text and "审查员甲" in state.text and "本条仅作细化" in state.text
        assert "已采纳" in driver.find_element(By.ID, f"state-{first}").text
        driver.execute_script(f"document.getElementById('f-{first}').scrollIntoView()")
        _shot(driver, tmp_path, "workbench-decisions.png", full=False)
        driver.execute_script("window.scrollTo(0, 0)")  # the sticky header would cover the button
        driver.find_element(By.ID, "export-opinion").click()
        opinion = _wait_file(downloads, "sample_draft.审查意见.docx")
        import docx

        text = "\n".join(p.text for p in docx.Document(io.BytesIO(opinion.read_bytes())).paragraphs)
        assert msg_first.split("】", 1)[-1].removeprefix("（待核实）")[:15] in text
        assert msg_second.split("】", 1)[-1].removeprefix("（待核实）")[:15] not in text
        assert "审查员甲" in text and "机器辅助审查结果" in text
        driver.get(base + "/")
        driver.find_element(By.ID, "export-dataset").click()
        dataset = _wait_file(downloads, "dataset.jsonl")
        driver.find_element(By.ID, "export-predictions").click()
        predictions = _wait_file(downloads, "predictions.jsonl")
    finally:
        driver.quit()
        server.terminate()
        server.wait(timeout=10)
    rec = json.loads(dataset.read_text(encoding="utf-8").splitlines()[0])
    assert sorted(lab["outcome"] for lab in rec["labels"]) == ["negative", "positive"]
    run = subprocess.run([sys.executable, "-c", "from normcheck.cli import main; main()", "eval", str(dataset),
                          "--predictions", str(predictions), "--json", "--resamples", "0", "-q"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    rep = json.loads(run.stdout)
    assert rep["dataset"]["n_labels"] == 2 and rep["coverage"]["n_ok"] == 1
    run = subprocess.run([sys.executable, "-c", "from normcheck.cli import main; main()", "eval",
                          "--from-workbench", str(data / "workbench.sqlite")], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0 and "precision" in run.stdout and "0.500" in run.stdout, run.stdout + run.stderr
