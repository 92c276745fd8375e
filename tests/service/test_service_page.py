"""The web page in a real browser: headless Chromium (Debian's chromium and chromium-driver)
driven by Selenium, with JavaScript switched off, since the page must work without it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import httpx
import pytest
from serving import Server

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service as DriverService  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs chromium and chromium-driver (apt-get install chromium chromium-driver)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    assert CHROMIUM is not None
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs", {"profile.managed_default_content_settings.javascript": 2}
    )
    driver = webdriver.Chrome(options=options, service=DriverService(executable_path=DRIVER))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def wait_for(browser: webdriver.Chrome, element_id: str, timeout: float = 30) -> None:
    WebDriverWait(browser, timeout).until(
        expected_conditions.presence_of_element_located((By.ID, element_id))
    )


def test_the_form_makes_a_routine(server: Server, browser: webdriver.Chrome) -> None:
    browser.get(server.url + "/")
    assert not browser.find_elements(By.TAG_NAME, "script")  # nothing needs JavaScript
    minutes = browser.find_element(By.NAME, "minutes")
    minutes.clear()
    minutes.send_keys("12")
    Select(browser.find_element(By.NAME, "focus")).select_by_value("back")
    browser.find_element(By.CSS_SELECTOR, "input[name=equipment][value=kettlebell]").click()
    browser.find_element(By.CSS_SELECTOR, "form#make button[type=submit]").click()
    wait_for(browser, "card")
    assert browser.find_element(By.ID, "heading").text == "Your routine"
    card = browser.find_element(By.ID, "card").text
    assert card.startswith("Back routine (12 min)")
    assert "kettlebell" in card.lower()
    rows = browser.find_elements(By.CSS_SELECTOR, "#muscles tbody tr")
    assert rows and all(row.find_elements(By.TAG_NAME, "td") for row in rows)
    links = {
        a.text: a.get_attribute("href")
        for a in browser.find_elements(By.CSS_SELECTOR, "#downloads a")
    }
    ics = httpx.get(links["Download .ics"])
    assert ics.headers["content-type"].startswith("text/calendar")
    assert httpx.get(links["Download JSON"]).json()["kind"] == "routine"


def exercise_ids(browser: webdriver.Chrome) -> list[str]:
    return [
        str(field.get_attribute("value"))
        for field in browser.find_elements(By.CSS_SELECTOR, "#swaps input[name=exercise]")
    ]


def test_a_swap_button_replaces_that_exercise_and_keeps_the_others(
    server: Server, browser: webdriver.Chrome
) -> None:
    """Each main exercise has a Swap button (a plain form); pressing one shows the routine
    with that exercise replaced and every other kept, on the same routine's page."""
    browser.get(server.url + "/")
    minutes = browser.find_element(By.NAME, "minutes")
    minutes.clear()
    minutes.send_keys("15")
    browser.find_element(By.CSS_SELECTOR, "input[name=equipment][value=dumbbell]").click()
    browser.find_element(By.CSS_SELECTOR, "form#make button[type=submit]").click()
    wait_for(browser, "swaps")
    page = browser.current_url.split("?")[0]
    before = exercise_ids(browser)
    assert len(before) >= 2
    out = before[0]
    button = browser.find_element(By.ID, f"swap-{out}")
    button.click()
    WebDriverWait(browser, 30).until(expected_conditions.staleness_of(button))  # a new page
    wait_for(browser, "swaps")
    after = exercise_ids(browser)
    assert browser.current_url.split("?")[0] == page  # the same routine, its next revision
    assert out not in after
    assert len(after) == len(before)
    assert set(before) - {out} <= set(after)


def test_the_form_makes_a_plan_with_a_subscription_link(
    server: Server, browser: webdriver.Chrome
) -> None:
    browser.get(server.url + "/")
    Select(browser.find_element(By.NAME, "goal")).select_by_value("plan")
    days = browser.find_element(By.NAME, "days")
    days.clear()
    days.send_keys("mon,thu")
    browser.find_element(By.CSS_SELECTOR, "form#make button[type=submit]").click()
    wait_for(browser, "feed")  # the page reloads itself (meta refresh) until the plan is done
    feed = browser.find_element(By.ID, "feed").get_attribute("href")
    assert feed is not None and feed.startswith("webcal://")
    calendar = httpx.get("http://" + feed.removeprefix("webcal://"))
    assert calendar.content.count(b"BEGIN:VEVENT") == 2
    assert browser.find_element(By.ID, "heading").text == "Your plan"


def test_an_impossible_request_shows_why(server: Server, browser: webdriver.Chrome) -> None:
    browser.get(server.url + "/")
    minutes = browser.find_element(By.NAME, "minutes")
    minutes.clear()
    minutes.send_keys("1")
    Select(browser.find_element(By.NAME, "focus")).select_by_value("full-body")
    Select(browser.find_element(By.NAME, "level")).select_by_value("beginner")
    browser.find_element(By.CSS_SELECTOR, "form#make button[type=submit]").click()
    wait_for(browser, "problem")
    assert "cannot be met" in browser.find_element(By.ID, "problem").text
    assert browser.find_element(By.NAME, "minutes").get_attribute("value") == "1"
