"""835 remittance import, pure: read a file in memory, extract anonymous draft reports. No Flask here."""
from app.remittance.drafts import Extraction, extract_drafts
from app.remittance.segments import NotAnX12File, RemittanceError, decode

__all__ = ["Extraction", "NotAnX12File", "RemittanceError", "decode", "extract_drafts"]
