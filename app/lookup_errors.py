"""Errors a lookup raises for input a client sent: the API turns them into 404 or 422."""


class LookupFailed(Exception):
    status = 400

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class NotFound(LookupFailed):
    status = 404


class Invalid(LookupFailed):
    status = 422
