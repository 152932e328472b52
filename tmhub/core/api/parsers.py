"""The API's JSON parser: DRF's, with a nesting limit checked before anything recurses.

Python's json decoder recurses once per nested array or object, so a body nested a few thousand
levels deep raised RecursionError (a 500). The depth is measured first by a flat scan that skips
string contents; deeper than MAX_JSON_DEPTH is a 400 `parse_error`, like any malformed body.
No request of the API nests more than a few levels.
"""

from __future__ import annotations

import codecs
import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json

MAX_JSON_DEPTH = 64

# A JSON string, escapes included. The closing quote is optional so that every match starting at
# a quote succeeds (an unterminated string runs to the end): the scan stays linear however the
# body is built; the decoder reports the malformed JSON afterwards.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether arrays and objects in `text` nest deeper than `limit` (no recursion)."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    depth = 0
    for char in brackets:
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class DepthLimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})  # text codecs only
        try:
            text = codecs.getreader(encoding)(stream).read()
        except (LookupError, UnicodeError, ValueError) as exc:
            raise ParseError(_("The request body is not valid JSON.")) from exc
        if json_depth_exceeds(text):
            raise ParseError(
                _("The JSON body nests deeper than %(limit)d levels.") % {"limit": MAX_JSON_DEPTH}
            )
        try:
            parse_constant = json.strict_constant if self.strict else None
            return json.loads(text, parse_constant=parse_constant)
        except (ValueError, RecursionError) as exc:
            raise ParseError(_("The request body is not valid JSON.")) from exc
