"""The API's JSON parser: DRF's, bounded in size and depth so that no body is a 500.

DRF reads a JSON body straight from the request stream, so Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE`` never applies to it (egov.middleware refuses a declared
Content-Length over it first; this parser also stops reading at the limit). Python's
``json`` module recurses once per nested ``[``/``{``: 100,000 of them raise RecursionError,
which DRF would turn into a 500. No request of ours nests deeper than a few levels, so the
body is refused as soon as it is deeper than ``MAX_JSON_DEPTH``, before it is decoded.
"""

import codecs

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

MAX_JSON_DEPTH = 32
MSG_JSON_INVALID = gettext_noop("Isi permintaan bukan JSON yang sah.")
MSG_JSON_TOO_DEEP = gettext_noop("Isi permintaan JSON bersarang terlalu dalam (paling banyak %d).")
MSG_BODY_TOO_LARGE = gettext_noop("Isi permintaan terlalu besar (paling banyak %d byte).")


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def body_too_large() -> RequestTooLarge:
    return RequestTooLarge(_(MSG_BODY_TOO_LARGE) % settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def json_depth_exceeds(text: str, limit: int) -> bool:
    """True when brackets outside strings nest deeper than ``limit`` (a linear scan, no
    recursion; a malformed body is left for the decoder to refuse)."""
    if text.count("[") + text.count("{") <= limit:
        return False  # the usual body: too few brackets to be too deep, no scan
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise body_too_large()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(raw, encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_(MSG_JSON_INVALID), code="json_invalid") from None
        if json_depth_exceeds(text, MAX_JSON_DEPTH):
            raise ParseError(_(MSG_JSON_TOO_DEEP) % MAX_JSON_DEPTH, code="json_too_deep")
        try:
            strict = json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=strict)
        except (ValueError, RecursionError):
            raise ParseError(_(MSG_JSON_INVALID), code="json_invalid") from None
