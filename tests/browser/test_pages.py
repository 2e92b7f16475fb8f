#!/usr/bin/env python3
"""Real-browser tests of `journal serve` on the sample journal (issue 16).

Headless Chromium from Debian's packages, driven through /usr/bin/chromedriver by selenium
(nothing is downloaded): load the timeline, type a query in the search box, open a hit,
follow an evidence link's href, open the metrics page and find the rendered chart, write an
entry file and see the open page update. The screenshots the README shows are written to
docs/screenshots/.

    scripts/browser-test            # installs what it needs, builds, runs this

Every wait polls with a generous deadline; none is a fixed sleep.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

ROOT = Path(__file__).resolve().parents[2]
JOURNAL = Path(os.environ.get("JOURNAL_BIN", ROOT / "target" / "debug" / "journal"))
SHOTS = ROOT / "docs" / "screenshots"
DEADLINE = 60.0


def wait(what, condition, deadline=DEADLINE):
    start = time.monotonic()
    while True:
        try:
            value = condition()
            if value:
                return value
        except Exception:  # the page is being replaced: look again
            pass
        if time.monotonic() - start > deadline:
            sys.exit(f"error: timed out waiting for {what}")
        time.sleep(0.05)


def browser(profile):
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 "--window-size=1280,900", f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)


def main():
    work = Path(tempfile.mkdtemp(prefix="journal-browser-"))
    env = dict(os.environ, GIT_AUTHOR_NAME="Ops", GIT_AUTHOR_EMAIL="ops@example.org",
               GIT_COMMITTER_NAME="Ops", GIT_COMMITTER_EMAIL="ops@example.org", TZ="UTC")
    demo = work / "demo"
    subprocess.run([JOURNAL, "demo", demo], check=True, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    server = subprocess.Popen([JOURNAL, "serve", "--port", "0"], cwd=demo, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    driver = None
    try:
        line = server.stdout.readline().strip()
        assert line.startswith("Serving http://localhost:"), line
        url = line.removeprefix("Serving ")
        driver = browser(work / "profile")

        # The timeline, newest first, with its facets.
        driver.get(url)
        wait("the timeline", lambda: driver.find_elements(By.CSS_SELECTOR, "#timeline .entry"))
        entries = driver.find_elements(By.CSS_SELECTOR, "#timeline .entry")
        assert len(entries) > 10, len(entries)
        assert driver.find_elements(By.CSS_SELECTOR, "#facets a[href^='/?provider=']")
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / "timeline.png"))

        # A query typed in the search box, a hit opened.
        box = driver.find_element(By.ID, "q")
        box.send_keys("zerotier latency", Keys.ENTER)
        wait("the results", lambda: driver.find_elements(By.CSS_SELECTOR, "#results .hit"))
        assert "/search?q=zerotier+latency" in driver.current_url, driver.current_url
        assert driver.find_elements(By.CSS_SELECTOR, "#results mark")
        hit = driver.find_element(By.CSS_SELECTOR, "#results .hit a.title")
        title = hit.text
        hit.click()
        wait("the entry page", lambda: driver.find_elements(By.CSS_SELECTOR, "#entry h1"))
        assert driver.find_element(By.CSS_SELECTOR, "#entry h1").text == title

        # An evidence link goes to the forge's page of the commit (not followed: no network).
        driver.get(url + "search?q=commit&scope=entries")
        found = None
        for link in [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#results a.title")]:
            driver.get(link)
            commits = driver.find_elements(By.CSS_SELECTOR, "#entry a.commit")
            if commits:
                found = commits[0].get_attribute("href")
                break
        if found is None:
            driver.get(url)
            for link in [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#timeline a.title")]:
                driver.get(link)
                commits = driver.find_elements(By.CSS_SELECTOR, "#entry a.commit")
                if commits:
                    found = commits[0].get_attribute("href")
                    break
        assert found and found.startswith("https://github.com/example-ops/phase0-infra/commit/"), found
        assert len(found.rsplit("/", 1)[1]) == 40, found

        # The metrics page and its rendered charts.
        driver.get(url + "metrics")
        chart = wait("a chart", lambda: driver.find_elements(By.CSS_SELECTOR, "#metrics .chart svg"))
        assert chart[0].size["width"] > 300, chart[0].size
        assert driver.find_elements(By.CSS_SELECTOR, "#metrics .chart svg circle")
        driver.execute_script(
            "document.getElementById('metric-latency_p50_ms').scrollIntoView()")
        driver.save_screenshot(str(SHOTS / "metrics.png"))

        # An entry file written while the page is open shows up without a reload.
        driver.get(url)
        wait("the timeline", lambda: driver.find_elements(By.CSS_SELECTOR, "#timeline .entry"))
        driver.execute_script("window.notReloaded = true")
        month = demo / "journal" / "2026" / "12"
        month.mkdir(parents=True, exist_ok=True)
        entry_id = "20261202T120000Z-written-while-watching"
        (month / f"{entry_id}.md").write_text(
            f"---\nid: {entry_id}\ndate: 2026-12-02T12:00:00Z\ntitle: Written while the page is open\n"
            "provider: [hetzner]\nkind: finding\n---\nThe page shows it by itself.\n")
        wait("the new entry on the open page", lambda: driver.find_elements(
            By.CSS_SELECTOR, f"#timeline .entry[data-id='{entry_id}']"))
        assert driver.execute_script("return window.notReloaded === true"), "updated in place"
        print("browser tests: ok")
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
