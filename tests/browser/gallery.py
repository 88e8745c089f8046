"""Regenerate the README gallery: each notebook's largest panel, as Voila shows it.

Run with ``make screenshots``; writes ``docs/gallery/<notebook>.png``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser import pages, servers
from tests.browser.conftest import CHROMIUM_FLAGS, NOTEBOOKS, ROOT, chromium_path

GALLERY = ROOT / "docs" / "gallery"


def _area(locator):
    box = locator.bounding_box() or {"width": 0, "height": 0}
    return box["width"] * box["height"]


def main():
    GALLERY.mkdir(parents=True, exist_ok=True)
    os.environ["ITP_VIEW"] = "laptop"  # README images at laptop size, not projector size
    tmp = Path(tempfile.mkdtemp())
    served = servers.copy_notebooks(ROOT / "notebooks", tmp)
    written = []
    with servers.voila(served, tmp / "voila") as server, sync_playwright() as play:
        browser = play.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport=pages.LAPTOP)
        for name in NOTEBOOKS:
            pages.open_voila(page, server, name)
            found = pages.panels(page)
            if found.count() == 0:
                continue
            target = GALLERY / f"{Path(name).stem}.png"
            # The notebook's largest panel shows the most.
            largest = max(found.all(), key=_area)
            largest.scroll_into_view_if_needed()
            largest.screenshot(path=target)
            written.append(target)
        browser.close()
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
