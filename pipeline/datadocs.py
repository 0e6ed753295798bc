"""Great Expectations Data Docs that render with no network.

GX links its pages' styles, scripts and fonts from CDNs, so a Data Docs site opened from a
file share, an object store or an offline laptop is a blank page. This copies the vendored
distribution files (``pipeline/vendor/datadocs``, origins and licences in its README) into
the site and points every page at them, as ``assets.json`` maps the URLs.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

VENDOR = Path(__file__).parent / "vendor" / "datadocs"
SITE_FOLDER = Path("static") / "vendor"  # where the copies go inside a Data Docs site
# A <script src=...></script> or <link ... href=...> that loads a remote file.
_REMOTE_TAG = re.compile(r'<(?P<tag>script|link)\b[^>]*?\b(?:src|href)="(?P<url>https?://[^"]+)"[^>]*>(?:\s*</script>)?')
# What still loads something remote after the rewrite: a src, a stylesheet link, a CSS url().
_STILL_REMOTE = re.compile(r'''(?:\bsrc="|<link\b[^>]*\bhref="|url\(['"]?)(https?://[^"')]+)''')


@lru_cache(maxsize=1)
def _map() -> dict:
    return json.loads((VENDOR / "assets.json").read_text())


def make_offline(site: Path) -> list[str]:
    """Copy the vendored assets into the Data Docs ``site`` and rewrite its pages to use them.

    Returns the remote URLs a page still loads (none with the pinned GX), logged as warnings:
    a page that needs one renders incompletely offline, which is no reason to fail a run.
    """
    shutil.copytree(VENDOR, site / SITE_FOLDER, dirs_exist_ok=True, ignore=shutil.ignore_patterns("assets.json"))
    remote: set[str] = set()
    for page in sorted(site.rglob("*.html")):
        html = rewrite(page.read_text(encoding="utf-8"), os.path.relpath(site, page.parent))
        page.write_text(html, encoding="utf-8")
        remote.update(still_remote(html))
    for url in sorted(remote):
        log.warning("Data Docs still load %s: it will not render offline (add it to %s)", url, VENDOR / "assets.json")
    return sorted(remote)


def rewrite(html: str, to_site: str) -> str:
    """A page's remote assets replaced by the local copies; ``to_site`` is the path from the
    page's folder to the site root."""
    mapping = _map()

    def local(path: str) -> str:
        return Path(to_site, path).as_posix()

    def tag(found: re.Match) -> str:
        paths = mapping["assets"].get(found["url"])
        if paths is None:
            return found[0]
        if found["tag"] == "script":
            return "".join(f'<script src="{local(SITE_FOLDER / p)}"></script>' for p in paths)
        return "".join(f'<link rel="stylesheet" href="{local(SITE_FOLDER / p)}">' for p in paths)

    html = _REMOTE_TAG.sub(tag, html)
    for url, path in mapping["images"].items():  # GX's logo, with or without a ?d= cache buster
        html = re.sub(re.escape(url) + r'(?:\?[^"\')]*)?', local(path), html)
    return html


def still_remote(html: str) -> list[str]:
    """The remote URLs a page loads (links it only points to, <a href>, are not loads)."""
    return _STILL_REMOTE.findall(html)
