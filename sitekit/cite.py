"""A "cite" control on every section heading: copies a ready-to-paste Markdown link (title, site
name, canonical permalink) for Q&A answers, and shows the plain URL. The text is computed here, at
build time, from site_url (env SITE_URL); assets/site.js only copies it and shows it.
"""

from __future__ import annotations

import html
import re

from sitekit.context import Page, Site

HEADING = re.compile(r'<(?P<tag>h[2-4]) id="(?P<id>[^"]+)">(?P<inner>.*?)</(?P=tag)>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def permalink(site_url: str, page_url: str, anchor: str) -> str:
    """The canonical URL of an anchor: SITE_URL + page URL + #anchor."""
    return f"{(site_url or '/').rstrip('/')}/{page_url}#{anchor}"


def markdown_link(title: str, site_name: str, url: str) -> str:
    """[Title – Site name](url), with the brackets Markdown would misread escaped."""
    text = f"{title} \u2013 {site_name}".replace("[", "\\[").replace("]", "\\]")
    return f"[{text}]({url})"


def cite_button(title: str, site_name: str, url: str) -> str:
    return (f'<button type="button" class="cite-button" data-cite-url="{html.escape(url)}" '
            f'data-cite-markdown="{html.escape(markdown_link(title, site_name, url))}" '
            f'aria-label="Cite: {html.escape(title)}"></button>')


def heading_text(inner_html: str) -> str:
    without_permalink = re.sub(r'<a class="headerlink".*?</a>', "", inner_html, flags=re.DOTALL)
    return " ".join(html.unescape(TAG.sub("", without_permalink)).split())


def add_cite_buttons(content: str, site: Site, page: Page) -> str:
    """A cite control after each h2-h4 heading's permalink."""

    def add(match: re.Match[str]) -> str:
        url = permalink(site.site_url, page.url, match.group("id"))
        button = cite_button(heading_text(match.group("inner")), site.site_name, url)
        return f'<{match.group("tag")} id="{match.group("id")}">{match.group("inner")}{button}</{match.group("tag")}>'

    return HEADING.sub(add, content)
