#!/usr/bin/env python3
"""Real-browser tests of `journal serve` on the sample journal (issues 16 and 22).

Headless Chromium from Debian's packages, driven through /usr/bin/chromedriver by selenium
(nothing is downloaded): load the timeline, type a query in the search box, open a hit,
follow an evidence link's href, open the metrics page and find the rendered chart, write an
entry file and see the open page update; click each hostile link variant of an entry (no
script runs, no navigation), check the security headers and that the page raises no CSP
violation, and visit twenty pages in a row (none stalls); the keys; every page at 390 px and
in dark mode; axe-core's accessibility check on every page kind, light, dark and narrow. The
screenshots the README shows are written to docs/screenshots/ only with
`scripts/browser-test --screenshots`.

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
# The README's screenshots are rewritten only when asked (`scripts/browser-test
# --screenshots`), not by every test run.
WRITE_SHOTS = os.environ.get("JOURNAL_SCREENSHOTS") == "1"


def screenshot(driver, name):
    if WRITE_SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / name))
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
    # The console, where Chromium reports what the Content-Security-Policy refused.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
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
        screenshot(driver, "timeline.png")

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
        screenshot(driver, "metrics.png")
        # Each point names its entry (a tooltip) and opens it.
        points = driver.find_elements(By.CSS_SELECTOR, "#metrics .chart svg a")
        assert points, "no linked point"
        # An SVG link's href is an SVGAnimatedString to the DOM: read the attribute itself.
        href = driver.execute_script("return arguments[0].getAttribute('href')", points[0])
        assert href.startswith("/entries/"), href
        tip = points[0].find_element(By.TAG_NAME, "title").get_attribute("textContent")
        assert tip.startswith(href.rsplit("/", 1)[1] + ": "), (tip, href)
        driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))",
                              points[0])
        wait("the point's entry", lambda: driver.find_elements(By.CSS_SELECTOR, "#entry h1"))

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

        hostile_links(driver, url, demo)
        security_headers(driver, url)
        many_pages_in_a_row(driver, url)
        keyboard(driver, url)
        review_button(driver, url, demo)
        narrow_and_dark(driver, url)
        accessible(driver, url)
        static_site(driver, demo, work)
        print("browser tests: ok")
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


HOSTILE = [
    "javascript:window.pwned=1",
    "JaVaScRiPt:window.pwned=2",
    "&#106;avascript:window.pwned=3",
    "data:text/html,<script>window.pwned=4</script>",
    "data:text/html;base64,PHNjcmlwdD53aW5kb3cucHduZWQ9NTwvc2NyaXB0Pg==",
]


def hostile_links(driver, url, demo):
    """Each hostile link variant in an entry, clicked: no script runs, no navigation to it."""
    from selenium.common.exceptions import NoAlertPresentException
    entry_id = "20261202T130000Z-hostile-links"
    body = "\n".join(f"- [link {i}]({dest})" for i, dest in enumerate(HOSTILE))
    (demo / "journal" / "2026" / "12" / f"{entry_id}.md").write_text(
        f"---\nid: {entry_id}\ndate: 2026-12-02T13:00:00Z\ntitle: Hostile links\n"
        f"kind: finding\n---\n{body}\n")
    page = url + f"entries/{entry_id}"
    for i in range(len(HOSTILE)):
        driver.get(page)
        link = wait(f"link {i}", lambda: driver.find_element(By.LINK_TEXT, f"link {i}"))
        href = link.get_attribute("href")
        assert href is None or href.startswith(("http://", "https://")), (i, href)
        # The href above is the proof (no hostile URL is left to follow); the click shows the
        # page staying where it is.
        link.click()
        try:
            driver.switch_to.alert
            sys.exit(f"error: link {i} raised an alert")
        except NoAlertPresentException:
            pass
        assert driver.current_url.startswith(url), (i, driver.current_url)
        assert not driver.execute_script("return window.pwned"), (i, "a script ran")


def security_headers(driver, url):
    """Every page carries the headers, and the page works under its CSP with no violation."""
    import urllib.request
    for path in ["", "search?q=zerotier", "metrics", "confidence", "documents/INTEGRATION-FINDINGS"]:
        with urllib.request.urlopen(url + path) as response:
            headers = response.headers
            csp = headers["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, csp
            assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0], csp
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Referrer-Policy"] == "no-referrer"
    driver.get_log("browser")  # start afresh
    for path in ["", "search?q=zerotier", "metrics", "confidence"]:
        driver.get(url + path)
        wait(f"{path or '/'} live", lambda: driver.execute_script(
            "return document.body.dataset.live === 'open'"))
    refused = [e["message"] for e in driver.get_log("browser")
               if "Content Security Policy" in e["message"]]
    assert not refused, refused


def many_pages_in_a_row(driver, url):
    """Twenty pages visited one after another each load: a page left closes its live
    connection, so the browser's six connections per host are never used up."""
    driver.get(url)
    links = [a.get_attribute("href") for a in
             driver.find_elements(By.CSS_SELECTOR, "#timeline a.title")][:20]
    assert len(links) == 20, len(links)
    driver.set_page_load_timeout(20)
    for i, link in enumerate(links):
        driver.get(link)
        wait(f"page {i + 1} of 20", lambda: driver.find_elements(By.CSS_SELECTOR, "#entry h1"),
             deadline=20)
    # Back through them: pages restored from the back/forward cache reconnect.
    for _ in range(3):
        driver.back()
    wait("the restored page live again", lambda: driver.execute_script(
        "return document.body.dataset.live === 'open'"), deadline=20)


def keyboard(driver, url):
    """`/` focuses the search box, `j` / `k` move between entries, `g t` goes to the timeline."""
    from selenium.webdriver.common.action_chains import ActionChains
    driver.get(url)
    wait("the timeline", lambda: driver.find_elements(By.CSS_SELECTOR, "#timeline .entry"))
    keys = ActionChains(driver)
    keys.send_keys("j").perform()
    first = driver.execute_script("return document.activeElement.closest('.entry').dataset.id")
    ActionChains(driver).send_keys("j").perform()
    second = driver.execute_script("return document.activeElement.closest('.entry').dataset.id")
    ActionChains(driver).send_keys("k").perform()
    back = driver.execute_script("return document.activeElement.closest('.entry').dataset.id")
    assert first and second and first != second and back == first, (first, second, back)
    ActionChains(driver).send_keys("/").perform()
    assert driver.execute_script("return document.activeElement.id") == "q"
    # Typed into the box, `j` is a letter of the query, not a move.
    ActionChains(driver).send_keys("j").perform()
    assert driver.find_element(By.ID, "q").get_attribute("value").endswith("j")
    driver.get(url + "metrics")
    wait("the metrics page", lambda: driver.find_elements(By.CSS_SELECTOR, "#metrics"))
    ActionChains(driver).send_keys("g").send_keys("t").perform()
    wait("the timeline after g t", lambda: driver.current_url.rstrip("/") == url.rstrip("/"))


PAGES = ["", "search?q=zerotier&scope=all", "metrics", "confidence",
         "documents/INTEGRATION-FINDINGS", "documents/ARCHITECTURAL-DECISIONS"]


def review_button(driver, url, demo):
    """The home says what changed since the review; its button marks "reviewed up to here"
    in git (the ref `journal review` writes), and the home then counts nothing new."""
    driver.get(url)
    section = wait("the review section", lambda: driver.find_elements(By.ID, "since-review"))
    assert "Not reviewed yet by ops@example.org" in section[0].text, section[0].text
    driver.find_element(By.ID, "mark-review").click()
    wait("the review marked", lambda: "0 new" in driver.find_element(By.ID, "since-review").text)
    assert driver.current_url.rstrip("/") == url.rstrip("/"), driver.current_url
    head = subprocess.run(["git", "-C", demo, "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    mark = subprocess.run(["git", "-C", demo, "rev-parse", "refs/journal/reviews/ops@example.org^"],
                          check=True, capture_output=True, text=True).stdout.strip()
    assert mark == head, (mark, head)
    # An entry recorded after the review is counted and listed on the home page.
    env = dict(os.environ, GIT_AUTHOR_NAME="Ops", GIT_AUTHOR_EMAIL="ops@example.org",
               GIT_COMMITTER_NAME="Ops", GIT_COMMITTER_EMAIL="ops@example.org")
    subprocess.run([JOURNAL, "add", "cinnabar answers over zerotier after the reinstall",
                    "--provider", "hetzner", "--pattern", "zerotier", "--kind", "finding"],
                   cwd=demo, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)

    def counted():
        driver.get(url)
        return "1 new" in driver.find_element(By.ID, "since-review").text
    wait("the new entry counted since the review", counted)
    listed = driver.find_element(By.CSS_SELECTOR, "#since-review ul.since a").text
    assert listed == "cinnabar answers over zerotier after the reinstall", listed
    screenshot(driver, "review.png")


def static_site(driver, demo, work):
    """`journal site DIR` opened from disk (file://): the timeline, an entry with its styles,
    the documents with their charts, and search in the browser over the prebuilt index."""
    site = work / "site"
    subprocess.run([JOURNAL, "site", site], cwd=demo, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    driver.get((site / "index.html").as_uri())
    entries = wait("the static timeline",
                   lambda: driver.find_elements(By.CSS_SELECTOR, "#timeline .entry a.title"))
    assert not driver.find_elements(By.ID, "mark-review"), "no review button in a static site"
    title = entries[0].text
    entries[0].click()
    heading = wait("the static entry page", lambda: driver.find_elements(By.CSS_SELECTOR, "#entry h1"))
    assert heading[0].text == title, (heading[0].text, title)
    assert driver.current_url.startswith("file://") and driver.current_url.endswith(".html")
    # The stylesheet applies: the header is dark, as served.
    background = driver.execute_script(
        "return getComputedStyle(document.querySelector('header')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    driver.find_element(By.LINK_TEXT, "Findings").click()
    wait("the static findings", lambda: "Integration Findings" in driver.find_element(By.TAG_NAME, "h1").text)
    images = driver.find_elements(By.CSS_SELECTOR, "img[src$='.svg']")
    assert images, "the document shows its charts"
    loaded = driver.execute_script(
        "return Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
    assert loaded, "every chart loads from disk"
    driver.get((site / "search.html").as_uri() + "?q=zerotier&provider=gcp")
    hits = wait("static search results",
                lambda: driver.find_elements(By.CSS_SELECTOR, "#results .hit a.title"))
    count = driver.find_element(By.ID, "site-count").text
    assert count.endswith("entries") or count == "1 entry", count
    hits[0].click()
    wait("a search hit's entry", lambda: driver.find_elements(By.CSS_SELECTOR, "#entry h1"))
    # `g` `t` goes to the site's own timeline, not to the disk's root.
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("g")
    body.send_keys("t")
    wait("g t to the static timeline", lambda: driver.current_url.endswith("/index.html"))


def narrow_and_dark(driver, url):
    """At 390 px (a phone) no page scrolls sideways and long words wrap; with the system
    in dark mode the page is dark; the favicon is served."""
    import urllib.request
    driver.get(url)
    entry = driver.find_element(By.CSS_SELECTOR, "#timeline a.title").get_attribute("href")
    driver.set_window_size(390, 844)
    for path in PAGES + [entry.removeprefix(url)]:
        driver.get(url + path)
        wait(f"{path or '/'} loaded", lambda: driver.execute_script(
            "return document.readyState === 'complete'"))
        width = driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], (path, width)
        if path in ("", "confidence"):
            screenshot(driver, f"{path or 'timeline'}-390.png")
    driver.set_window_size(1280, 900)
    driver.get(url + "confidence")
    wait("/confidence loaded", lambda: driver.execute_script(
        "return document.readyState === 'complete'"))
    screenshot(driver, "confidence.png")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    driver.get(url)
    background = driver.execute_script(
        "return getComputedStyle(document.body).backgroundColor")
    rgb = [int(x) for x in background[background.index("(") + 1:background.index(")")].split(",")[:3]]
    assert sum(rgb) < 200, background
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    with urllib.request.urlopen(url + "static/favicon.svg") as response:
        assert response.headers["Content-Type"] == "image/svg+xml"
    icon = driver.find_element(By.CSS_SELECTOR, "link[rel=icon]").get_attribute("href")
    assert icon.endswith("/static/favicon.svg"), icon


AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"


def accessible(driver, url):
    """axe-core finds no violation (labels, contrast, lang, headings, ...) on any page kind,
    in light and in dark mode, wide and narrow."""
    axe = AXE.read_text()
    driver.get(url)
    entry = driver.find_element(By.CSS_SELECTOR, "#timeline a.title").get_attribute("href")
    pages = [url + p for p in PAGES] + [entry]
    for scheme, width in [("light", 1280), ("dark", 1280), ("light", 390)]:
        driver.set_window_size(width, 900)
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
            "features": [{"name": "prefers-color-scheme", "value": scheme}]})
        for page in pages:
            driver.get(page)
            wait(f"{page} loaded", lambda: driver.execute_script(
                "return document.readyState === 'complete'"))
            driver.execute_script(axe)
            found = driver.execute_async_script(
                "var done = arguments[0];"
                "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
                "  done(r.violations.map(function (v) {"
                "    return [v.id, v.impact, v.nodes.length, v.nodes[0].html.slice(0, 120)]; }));"
                "});")
            assert not found, (scheme, width, page, found)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
    driver.set_window_size(1280, 900)


if __name__ == "__main__":
    main()
