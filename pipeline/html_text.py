"""Plain text and metadata from an HTML article, with the standard library's parser.

Scripts, styles and page furniture (navigation, footers, forms) are dropped; block
elements become paragraphs separated by blank lines, the shape the cleaner expects.
"""

from __future__ import annotations

from html.parser import HTMLParser

_SKIP = {"script", "style", "noscript", "template", "nav", "footer", "form", "svg", "iframe", "aside"}
_BLOCKS = {"p", "div", "section", "article", "li", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "blockquote", "header"}
_META_FIELDS = {
    "og:title": "title",
    "og:url": "url",
    "og:site_name": "publisher",
    "article:published_time": "published_at",
    "date": "published_at",
}


class _ArticleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.meta: dict[str, str] = {}
        self._current: list[str] = []
        self._skip_depth = 0
        self._in_title = False
        self._title: list[str] = []
        self._h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        attributes = {key: value or "" for key, value in attrs}
        if tag in _SKIP:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = attributes.get("property") or attributes.get("name") or ""
            field = _META_FIELDS.get(key.lower())
            if field and attributes.get("content"):
                self.meta.setdefault(field, attributes["content"].strip())
        elif tag == "link" and attributes.get("rel") == "canonical" and attributes.get("href"):
            self.meta.setdefault("url", attributes["href"])
        if tag in _BLOCKS:
            self._flush()
        if tag == "h1":
            self._in_h1 = True

    def handle_endtag(self, tag):
        if tag in _SKIP and self._skip_depth:
            self._skip_depth -= 1
        elif tag == "title":
            self._in_title = False
        if tag == "h1":
            self._in_h1 = False
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self._in_title:
            self._title.append(data)
        elif not self._skip_depth:
            self._current.append(data)
            if self._in_h1:
                self._h1.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []

    def result(self) -> dict:
        self._flush()
        title = " ".join("".join(self._h1 or self._title).split())
        fields = dict(self.meta)
        if title:
            fields.setdefault("title", title)
        body = list(self.blocks)
        if body and fields.get("title") and body[0] != fields["title"]:
            body.insert(0, fields["title"])
        fields["text"] = "\n\n".join(body)
        return fields


def html_to_record(markup: str) -> dict:
    """Return ``{"text", "title"?, "url"?, "publisher"?, "published_at"?}`` from HTML."""
    parser = _ArticleParser()
    parser.feed(markup)
    parser.close()
    return parser.result()
