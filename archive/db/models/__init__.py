"""All tables. Importing this package registers every model on ``Base.metadata``."""

from archive.db.models.captures import Capture, CaptureJob, CitationCapture, WarcFile
from archive.db.models.documents import Citation, Document, DocumentVersion
from archive.db.models.keys import ApiKey
from archive.db.models.schedules import Schedule
from archive.db.models.seeds import SeedEntry, SeedRun

__all__ = [
    "ApiKey",
    "Capture",
    "CaptureJob",
    "Citation",
    "CitationCapture",
    "Document",
    "DocumentVersion",
    "Schedule",
    "SeedEntry",
    "SeedRun",
    "WarcFile",
]
