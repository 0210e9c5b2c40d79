"""Make the theme's PNG icons, favicon.ico and link-preview image from logo.svg.

Run after changing theme/static/images/logo.svg (needs Debian's chromium and the
test requirements): ``.venv/bin/python theme/make_images.py``. The results are
committed; the build only copies them.
"""

from __future__ import annotations

import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

THEME = Path(__file__).parent
IMAGES = THEME / "static/images"
LOGO = (IMAGES / "logo.svg").read_text(encoding="utf-8")
ICONS = {
    "favicon-32.png": 32,
    "apple-touch-icon.png": 180,
    "icon-192.png": 192,
    "icon-512.png": 512,
}
# Link previews (Open Graph, Twitter cards): 1200 × 630, the size Teams and LinkedIn expect.
PREVIEW = f"""<!DOCTYPE html><html lang="fr"><body style="margin:0">
<div style="width:1200px;height:630px;box-sizing:border-box;padding:90px 100px;background:#0b5e4a;
color:#fff;font-family:'DejaVu Sans',Arial,sans-serif;display:flex;flex-direction:column;
justify-content:center;gap:36px">
<div style="display:flex;align-items:center;gap:40px">
<div style="width:190px;height:190px;flex:none;border-radius:36px;box-shadow:0 0 0 6px #fff">{LOGO}</div>
<div style="font-size:72px;font-weight:700;line-height:1.1">L’économie sociale, j’achète!</div></div>
<div style="font-size:38px;line-height:1.3">Répertoire des entreprises d’économie sociale de l’Estrie</div>
<div style="font-size:28px;opacity:.9">REES-Estrie · CDEC de Sherbrooke</div></div></body></html>"""


def ico(png: bytes, size: int) -> bytes:
    """A .ico holding one PNG image (every browser reads PNG-in-ICO)."""
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(png), 6 + 16)
    return header + entry + png


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        for name, size in ICONS.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            sized = LOGO.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
            page.set_content(f'<body style="margin:0">{sized}</body>')
            page.screenshot(path=IMAGES / name, omit_background=True)
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        page.set_content(PREVIEW)
        page.screenshot(path=IMAGES / "partage.png")
        browser.close()
    favicon = THEME.parent / "content/extra/favicon.ico"
    favicon.write_bytes(ico((IMAGES / "favicon-32.png").read_bytes(), 32))


if __name__ == "__main__":
    main()
