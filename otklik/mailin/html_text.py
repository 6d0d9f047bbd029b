"""HTML mail to plain text, stopping where the quoted original begins.

Clients mark the quote in HTML more reliably than in text: Gmail's `div.gmail_quote`,
Outlook's `div#divRplyFwdMsg` / `div#appendonsend` / the grey top-bordered header block,
Yandex's and Mail.ru's `<blockquote>`. Signatures the client marks (`gmail_signature`,
Outlook's `#Signature`) are left out too. Text only: nothing of the HTML survives, so nothing
from it can run anywhere later.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCK = {"p", "div", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "section",
         "article", "header", "footer", "center"}
SKIP = {"style", "script", "head", "title", "template", "noscript"}
VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source", "track", "embed"}
QUOTE_CLASSES = {"gmail_quote", "gmail_quote_container", "yahoo_quoted", "moz-cite-prefix", "protonmail_quote"}
QUOTE_IDS = {"divrplyfwdmsg", "appendonsend", "mail-app-auto-quote"}
SIGNATURE_CLASSES = {"gmail_signature", "moz-signature"}
SIGNATURE_IDS = {"signature", "ms-outlook-mobile-signature"}
OUTLOOK_HEADER_STYLE = re.compile(r"border-top:\s*solid\s+#(?:e1e1e1|b5c4df)", re.IGNORECASE)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip_depth = 0  # inside <style>, a signature, …: counted by open tags
        self.skip_stack: list[str] = []
        self.stopped = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.stopped:
            return
        a = {k.lower(): (v or "") for k, v in attrs}
        classes = set(a.get("class", "").lower().split())
        ident = a.get("id", "").lower()
        if self.skip_stack:
            if tag not in VOID:
                self.skip_stack.append(tag)
            return
        if (tag == "blockquote" or classes & QUOTE_CLASSES or ident in QUOTE_IDS
                or (tag == "div" and OUTLOOK_HEADER_STYLE.search(a.get("style", "")))):
            self.stopped = True  # everything from here on is the quoted original
            return
        if tag in SKIP or classes & SIGNATURE_CLASSES or ident in SIGNATURE_IDS:
            if tag not in VOID:
                self.skip_stack.append(tag)
            return
        if tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self._break()
            self.out.append("- ")
        elif tag in BLOCK:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if self.stopped:
            return
        if self.skip_stack:
            # Browsers forgive unclosed tags: close up to the matching one.
            if tag in self.skip_stack:
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
            return
        if tag in BLOCK or tag == "li":
            self._break()

    def _break(self) -> None:
        """A block starts or ends: one line break, not one per nested block."""
        if self.out and not self.out[-1].endswith("\n"):
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self.stopped or self.skip_stack:
            return
        self.out.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str) -> str:
    """The visible text above the quote, one paragraph per line, blank lines squeezed."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out).replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
