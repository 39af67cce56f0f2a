"""Requests whose uploads stay in memory: an 835 must never touch the disk.

Werkzeug spools a multipart file over 500 KB to a temporary file; this request class keeps every
uploaded part in memory instead (the size limit bounds it), and gives the remittance endpoints
their own limits: a larger body for the file, more form fields for a long review table.
`extract_upload` takes the 835 from such a request: read in memory, extracted, and dropped.
"""
from io import BytesIO

from flask import Flask, Request, current_app, request

from app.lookup_errors import Invalid, LookupFailed
from app.remittance import Extraction, RemittanceError, decode, extract_drafts

#: Endpoints that take a remittance file or its review table.
REMITTANCE_ENDPOINTS = frozenset({"remittances.Remittances", "remittance_import.new", "remittance_import.submit"})
REVIEW_FORM_PARTS = 10_000


class InMemoryUploadRequest(Request):
    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return BytesIO()

    def _for_remittance(self) -> bool:
        return self.endpoint in REMITTANCE_ENDPOINTS and bool(current_app)

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and self._for_remittance():
            return current_app.config["REMITTANCE_MAX_BYTES"]
        return Request.max_content_length.fget(self)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value

    @property
    def max_form_parts(self) -> int | None:
        if self._max_form_parts is None and self._for_remittance():
            return REVIEW_FORM_PARTS
        return Request.max_form_parts.fget(self)

    @max_form_parts.setter
    def max_form_parts(self, value: int | None) -> None:
        self._max_form_parts = value

    @property
    def max_form_memory_size(self) -> int | None:
        if self._max_form_memory_size is None and self._for_remittance():
            return current_app.config["REMITTANCE_MAX_BYTES"]
        return Request.max_form_memory_size.fget(self)

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        self._max_form_memory_size = value


def init_app(app: Flask) -> None:
    app.request_class = InMemoryUploadRequest


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
