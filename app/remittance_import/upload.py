"""Taking an 835 from a request: the bytes are read in memory, extracted, and dropped."""
from flask import request

from app.lookup_errors import Invalid, LookupFailed
from app.remittance import Extraction, RemittanceError, decode, extract_drafts

RAW_TYPES = frozenset({"application/edi-x12", "application/x12", "text/x12", "application/octet-stream", "text/plain"})


class UnsupportedUpload(LookupFailed):
    status = 415


def uploaded_bytes() -> bytes:
    """The file from the multipart field `file`, or the raw body of an X12 content type."""
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise Invalid("file", "Choose an 835 file to upload (multipart field `file`).")
        return upload.read()
    if request.mimetype in RAW_TYPES:
        return request.get_data(cache=False)
    raise UnsupportedUpload("file", "Send the 835 as the multipart field `file` or as the body with Content-Type: application/edi-x12.")


def extract_upload() -> Extraction:
    """The anonymous drafts of the uploaded remittance; nothing of the file outlives this call."""
    data = uploaded_bytes()
    if not data.strip():
        raise Invalid("file", "The file is empty.")
    try:
        return extract_drafts(decode(data))
    except RemittanceError as error:  # its message names a position and a kind, never content
        raise Invalid("file", f"Not a readable X12 835: {error}.") from None
