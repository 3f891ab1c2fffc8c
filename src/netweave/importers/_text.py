"""HTML to plain text, for post bodies (Mastodon, RSS, WordPress comments).

>>> html_to_text('<p>Hi <span class="h-card"><a href="x">@<span>bob</span></a></span>'
...              '&amp; all!<br>Line two</p><p>Para</p>')
'Hi @bob& all!\\nLine two\\n\\nPara'
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

__all__ = ["html_to_text"]

_BLOCK = {"p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr"}
_SKIP = {"script", "style", "head", "title"}
# what the parser passes on as text when a tag is cut off (at the end, or missing its ">")
_BROKEN_TAG = re.compile(r"<[A-Za-z/!?][^<>]*>?")
# "&" is hidden from the parser and references decoded afterwards, so a "<" in the parser's text
# is always a broken tag, never a decoded "&lt;"
_AMP = "\ue000"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.pending: list[str] = []
        self.skip = 0

    def flush(self) -> None:
        # the parser may hand over a broken tag in pieces ("<", then 'a href="x'): join first
        if self.pending:
            self.parts.append(_BROKEN_TAG.sub("", "".join(self.pending)))
            self.pending = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.flush()
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.flush()
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self.flush()
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.pending.append(data)


def html_to_text(markup: str | None) -> str:
    """Visible text of an HTML fragment: paragraphs as blank lines, <br> as newlines,
    entities decoded, tags (and script/style contents) dropped."""
    if not markup:
        return ""
    if "<" not in markup:
        return html.unescape(markup).strip()
    parser = _Text()
    parser.feed(markup.replace("&", _AMP))
    parser.close()
    parser.flush()
    text = html.unescape("".join(parser.parts).replace(_AMP, "&"))
    text = re.sub(r"[ \t\r\f\v]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
