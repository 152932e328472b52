"""Protected storage of personal ID numbers.

A full ID number is stored only encrypted (Fernet, AES-128-CBC + HMAC) with a key derived from
`settings.TALENT_ID_KEY` (falling back to SECRET_KEY, so development needs no set-up). Duplicate
detection uses a keyed digest (HMAC-SHA256), so the database never holds a searchable plain
number; pages show the masked form only. Decrypting happens in exactly one place: the audited
reveal service.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from tmhub.core.validators import mask_identifier


def _secret() -> bytes:
    return (getattr(settings, "TALENT_ID_KEY", "") or settings.SECRET_KEY).encode()


@lru_cache(maxsize=4)
def _keys(secret: bytes) -> tuple[Fernet, bytes]:
    # Two independent keys from one secret: one to encrypt, one to fingerprint.
    enc = hashlib.sha256(b"tmhub.talent.id.encrypt:" + secret).digest()
    mac = hashlib.sha256(b"tmhub.talent.id.digest:" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(enc)), mac


def normalize_id(identity_type: str, number: str, nationality: str = "") -> str:
    """Canonical form used for the digest: upper case, no spaces, passports keyed by country."""
    compact = "".join((number or "").split()).upper()
    if identity_type == "passport":
        return f"P:{(nationality or '').strip().upper()}:{compact}"
    return f"R:{compact}"


def encrypt(value: str) -> str:
    fernet, _mac = _keys(_secret())
    return fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Plain value of an encrypted token ('' when it cannot be decrypted, e.g. rotated key)."""
    if not token:
        return ""
    fernet, _mac = _keys(_secret())
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def digest(canonical: str) -> str:
    _fernet, mac = _keys(_secret())
    return hmac.new(mac, canonical.encode(), hashlib.sha256).hexdigest()


def mask(number: str) -> str:
    """The only form of an ID number that pages, the API and exports ever show."""
    compact = "".join((number or "").split()).upper()
    if len(compact) >= 15:
        return mask_identifier(compact, keep_start=3, keep_end=2)
    return mask_identifier(compact, keep_start=1, keep_end=2)
