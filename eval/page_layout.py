"""The HTML page in a real browser at desktop and phone width: page heights and screenshots.

Opens each given page in headless Chromium (Selenium), at 1280 px and at 390 px wide, prints the
page's height and the share of the width the summary takes, and saves a screenshot of the first
screen of each (``--screenshots FOLDER``).

    python -m summarizer run ../shared/data/seeds --format html --output /tmp/seeds.html
    python eval/page_layout.py /tmp/seeds.html --screenshots eval/results/page-2026-11-30
"""
from __future__ import annotations

import argparse
import shutil
from pathlib import Path

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def browser():
    """Headless Chromium through Selenium (what the browser test uses)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or "google-chrome"
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")), options=options)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--screenshots", type=Path, default=None)
    args = parser.parse_args(argv)
    driver = browser()
    try:
        for page in args.pages:
            for name, (width, height) in WIDTHS.items():
                driver.set_window_size(width, height)
                driver.get(page.resolve().as_uri())
                page_height = driver.execute_script("return document.documentElement.scrollHeight")
                summary_width = driver.execute_script(
                    "return document.getElementById('summary').getBoundingClientRect().width / window.innerWidth")
                print(f"{page.name} {name} ({width} px): page {page_height} px tall, "
                      f"summary {summary_width:.0%} of the width")
                if args.screenshots:
                    args.screenshots.mkdir(parents=True, exist_ok=True)
                    driver.save_screenshot(str(args.screenshots / f"{page.stem}-{name}.png"))
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
