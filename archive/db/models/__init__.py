"""All tables. Importing this package registers every model on ``Base.metadata``."""

from archive.db.models.captures import Capture, CaptureJob, CitationCapture, WarcFile
from archive.db.models.documents import Citation, Document, DocumentVersion
from archive.db.models.fixity import VerifyFinding, VerifyRun
from archive.db.models.health import CheckJob, CheckResult, CitationHealth
from archive.db.models.keys import ApiKey
from archive.db.models.schedules import Schedule, ScheduleTick, WebhookDelivery
from archive.db.models.seeds import SeedEntry, SeedRun

__all__ = [
    "ApiKey",
    "Capture",
    "CaptureJob",
    "CheckJob",
    "CheckResult",
    "Citation",
    "CitationCapture",
    "CitationHealth",
    "Document",
    "DocumentVersion",
    "Schedule",
    "ScheduleTick",
    "SeedEntry",
    "SeedRun",
    "VerifyFinding",
    "VerifyRun",
    "WarcFile",
    "WebhookDelivery",
]
