"""The exported HTML page in a real headless Chromium: buttons, keys, no console errors.

Needs Chromium and its driver (Debian: ``apt-get install chromium chromium-driver``;
``.ci/run`` installs them) and selenium. Skipped, saying why, where they are missing.
"""

from __future__ import annotations

import shutil

import pytest

from autograd.command_line.demo import seed_graph
from autograd.views.export import save_steps

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="Chromium or chromedriver not found (apt-get install chromium chromium-driver)",
)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page_url(tmp_path_factory):
    f, _, _ = seed_graph()
    (path,) = save_steps(f, tmp_path_factory.mktemp("browser") / "steps.html")
    return path.as_uri()


def visible_frame(driver):
    from selenium.webdriver.common.by import By

    shown = [
        frame for frame in driver.find_elements(By.CSS_SELECTOR, ".frame") if frame.is_displayed()
    ]
    assert len(shown) == 1, f"{len(shown)} frames visible, expected exactly one"
    return shown[0]


def highlighted_card_name(frame) -> str:
    """The bold name in the card drawn with the red (#dc2626) border."""
    from selenium.webdriver.common.by import By

    for node in frame.find_elements(By.CSS_SELECTOR, "g.node"):
        outline = node.get_attribute("innerHTML")
        if 'stroke="#dc2626"' in outline:
            return node.find_elements(By.CSS_SELECTOR, "text")[0].text
    raise AssertionError("no highlighted card in the visible frame")


def test_next_previous_keys_and_slider(browser, page_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(page_url)
    frame = visible_frame(browser)
    assert frame.get_attribute("data-step") == "1"
    assert highlighted_card_name(frame) == "f"
    assert "grad(d) += ∂f/∂d · grad(f) = 1 · 1 = 1" in frame.text
    assert browser.find_element(By.ID, "previous").get_attribute("disabled") is not None

    browser.find_element(By.ID, "next").click()
    frame = visible_frame(browser)
    assert frame.get_attribute("data-step") == "2"
    assert highlighted_card_name(frame) == "e"
    assert "grad(c) += ∂e/∂c · grad(e) = 10 · 1 = 10" in frame.text
    assert browser.find_element(By.ID, "counter").text == "Step 2 of 8"

    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    body.send_keys(Keys.ARROW_RIGHT)
    assert visible_frame(browser).get_attribute("data-node") == "c"
    body.send_keys(Keys.ARROW_LEFT)
    assert visible_frame(browser).get_attribute("data-node") == "d"
    body.send_keys(Keys.END)
    frame = visible_frame(browser)
    assert frame.get_attribute("data-node") == "x"
    assert "grad(x) = 10 + 2 + 6 = 18" in frame.text
    assert browser.find_element(By.ID, "next").get_attribute("disabled") is not None
    assert browser.find_element(By.ID, "slider").get_attribute("value") == "8"

    # Moving the slider jumps there.
    browser.execute_script(
        "var s = document.getElementById('slider'); s.value = '5';"
        "s.dispatchEvent(new Event('input'));"
    )
    assert visible_frame(browser).get_attribute("data-node") == "b"


def test_no_console_errors(browser, page_url):
    browser.get(page_url)
    browser.find_element("id", "next").click()
    problems = [
        entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")
    ]
    assert problems == []


def test_link_to_a_step(browser, page_url):
    browser.get(page_url + "#step-6")
    assert visible_frame(browser).get_attribute("data-node") == "a"
