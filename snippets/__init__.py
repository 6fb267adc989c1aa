"""The mathematics and figures of the site, one module per chapter."""
