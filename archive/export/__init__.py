"""Taking a document's archive away: a WACZ package of its captures, Robust Links HTML.

Both are built from what the archive already holds and change nothing in it.
"""

from archive.export.links import robust_links_html
from archive.export.wacz import MEDIA_TYPE, WaczResult, write_wacz

__all__ = ["MEDIA_TYPE", "WaczResult", "robust_links_html", "write_wacz"]
