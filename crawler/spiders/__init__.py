"""Spiders of the crawler (``SPIDER_MODULES``)."""
