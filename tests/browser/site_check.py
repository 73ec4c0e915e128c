"""Drives headless Chromium over the dashboard (see site.sh).

usage: site_check.py WORK_DIR SHOTS_DIR
WORK_DIR holds vi/index.html and en/index.html; screenshots go to SHOTS_DIR.
"""
import shutil
import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

work, shots = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
shots.mkdir(parents=True, exist_ok=True)

profile = tempfile.mkdtemp(prefix="plan-site-")
opts = webdriver.ChromeOptions()
opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
for flag in [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    f"--user-data-dir={profile}",
    "--hide-scrollbars",
]:
    opts.add_argument(flag)
opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=opts)

failures = []
try:
    for lang in ["vi", "en"]:
        page = work / lang / "index.html"
        for w, h in [(1280, 800), (390, 844)]:
            driver.set_window_size(w, h)
            driver.get(page.as_uri())
            iw, ih = driver.execute_script("return [window.innerWidth, window.innerHeight]")
            driver.set_window_size(w + (w - iw), h + (h - ih))
            driver.get(page.as_uri())
            charts = driver.execute_script(
                """
                const out = {bars: 0, lines: 0, empty: 0, overflow: 0};
                for (const s of document.querySelectorAll('svg.bar, svg.chart')) {
                  const r = s.getBoundingClientRect();
                  const marks = s.querySelectorAll('rect, polyline, path, line').length;
                  if (r.width < 20 || r.height < 8 || marks === 0) out.empty++;
                  else if (s.classList.contains('chart')) out.lines++; else out.bars++;
                }
                out.lines_with_data = [...document.querySelectorAll('svg.chart polyline.done')]
                  .filter(p => p.getTotalLength() > 0).length;
                out.overflow = document.documentElement.scrollWidth > window.innerWidth + 1;
                out.external = [...document.querySelectorAll('[src],[href]')]
                  .map(e => e.getAttribute('src') || e.getAttribute('href'))
                  .filter(u => !u.startsWith('#')).length;
                return out;
                """
            )
            errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
            print(f"{lang} {w}x{h}: {charts}, console errors: {len(errors)}")
            if errors:
                failures.append(f"{lang} {w}x{h}: console errors {errors}")
            if charts["empty"] or charts["bars"] == 0 or charts["lines"] == 0 or charts["lines_with_data"] == 0:
                failures.append(f"{lang} {w}x{h}: charts not drawn: {charts}")
            if charts["external"]:
                failures.append(f"{lang} {w}x{h}: external references")
            if charts["overflow"]:
                failures.append(f"{lang} {w}x{h}: the page is wider than the window")
            name = f"site-{lang}-{w}x{h}.png"
            driver.save_screenshot(str(shots / name))
            print("  screenshot", shots / name)
finally:
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)

if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("ok")
