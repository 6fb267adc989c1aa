"""Python-Markdown extensions that do the site's page-level work.

Each module is an extension that any generator running Python-Markdown can load by its dotted
name from `markdown_extensions` in mkdocs.yml (MkDocs today, Zensical tomorrow): no MkDocs hook
or plugin interface is involved.
"""
