"""A "cite" control on every section heading and claim: copies a ready-to-paste Markdown link for
Q&A answers, pinned to the version being read (title, site name, version and date), and shows the
permalink to that version, the permalink to the latest text and a BibTeX entry. The text is
computed here, at build time, from site_url (env SITE_URL) and the version (sitekit/versions.py);
assets/site.js only copies it and shows it.
"""

from __future__ import annotations

import html
import re

from sitekit import versions
from sitekit.context import Page, Site

HEADING = re.compile(r'<(?P<tag>h[2-4]) id="(?P<id>[^"]+)">(?P<inner>.*?)</(?P=tag)>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def permalink(site_url: str, page_url: str, anchor: str) -> str:
    """The canonical URL of an anchor: SITE_URL + page URL + #anchor."""
    return f"{(site_url or '/').rstrip('/')}/{page_url}#{anchor}"


def markdown_link(title: str, site_name: str, url: str, version_label: str = "") -> str:
    """[Title – Site name, version 1.0 of 2026-12-07](url), with the brackets Markdown would misread
    escaped."""
    text = f"{title} \u2013 {site_name}" + (f", {version_label}" if version_label else "")
    text = text.replace("[", "\\[").replace("]", "\\]")
    return f"[{text}]({url})"


BIBTEX_SPECIAL = re.compile(r"([\\{}&%#_$])")


def bibtex_entry(title: str, site_name: str, anchor: str, url: str, latest: str,
                 this: versions.ThisVersion) -> str:
    """A @misc entry for one section or claim of one version: its title, the URL of that version
    (or of the latest, for a commit without an address), the version and its date, and the latest."""
    def escaped(text: str) -> str:
        return BIBTEX_SPECIAL.sub(r"\\\1", text)

    key = f"nn-glm:{anchor}:{this.release and 'v' + this.release or this.commit or 'unreleased'}"
    fields = {
        "title": f"{{{escaped(title)}}}",
        "howpublished": f"\\url{{{url}}}",
        "note": f"{escaped(site_name)}, {escaped(this.label)}; latest text: \\url{{{latest}}}",
        "year": this.date[:4],
    }
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@misc{{{key},\n{body}\n}}"


def cite_button(title: str, site: Site, page_url: str, anchor: str) -> str:
    """The cite control of one anchor: the Markdown link and BibTeX of the version being read, its
    pinned permalink (none for a commit) and the permalink to the latest."""
    this = versions.for_site(site.root)[1]
    latest = permalink(site.site_url, page_url, anchor)
    base = this.base(site.site_url)
    pinned = f"{base}{page_url}#{anchor}" if base else ""
    cited = pinned or latest
    attributes = {
        "data-cite-url": latest,
        "data-cite-pinned": pinned,
        "data-cite-version": this.label,
        "data-cite-markdown": markdown_link(title, site.site_name, cited, this.label),
        "data-cite-bibtex": bibtex_entry(title, site.site_name, anchor, cited, latest, this),
        "aria-label": f"Cite: {title}",
    }
    return ('<button type="button" class="cite-button" '
            + " ".join(f'{name}="{html.escape(value)}"' for name, value in attributes.items() if value)
            + "></button>")


def heading_text(inner_html: str) -> str:
    without_permalink = re.sub(r'<a class="headerlink".*?</a>', "", inner_html, flags=re.DOTALL)
    return " ".join(html.unescape(TAG.sub("", without_permalink)).split())


def add_cite_buttons(content: str, site: Site, page: Page) -> str:
    """A cite control after each h2-h4 heading's permalink."""

    def add(match: re.Match[str]) -> str:
        button = cite_button(heading_text(match.group("inner")), site, page.url, match.group("id"))
        return f'<{match.group("tag")} id="{match.group("id")}">{match.group("inner")}{button}</{match.group("tag")}>'

    return HEADING.sub(add, content)
