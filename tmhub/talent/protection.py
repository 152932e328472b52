"""Protected storage of personal ID numbers.

A full ID number is stored only encrypted (Fernet, AES-128-CBC + HMAC). The keys come from
`settings.TALENT_ID_KEYS`, newest first (settings.py builds the list from TALENT_ID_KEY and
TALENT_ID_OLD_KEYS and refuses to start without a key when DEBUG is off; there is no fallback
to SECRET_KEY). The newest key encrypts; every key decrypts (cryptography's MultiFernet), so a
new key can be deployed first and `manage.py rotate_id_key` re-encrypts the rows afterwards.

Duplicate detection uses a keyed digest (HMAC-SHA256), so the database never holds a searchable
plain number; new digests use the newest key, and lookups try the digest under every key until
the rotation has rewritten them. Pages show the masked form only. Decrypting happens in the
audited reveal service and in the rotation command; a token that no key decrypts raises
`UndecryptableIdNumber`: it is never read as an empty number.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tmhub.core.validators import mask_identifier


class UndecryptableIdNumber(Exception):
    """A stored ID number that none of the configured keys decrypts (a key went missing from
    TALENT_ID_KEYS, or the row was damaged)."""


@dataclass(frozen=True)
class _KeyRing:
    encrypting: MultiFernet  # encrypts with the newest key, decrypts with any
    newest: Fernet  # to tell a row already under the newest key
    macs: tuple[bytes, ...]  # digest keys, newest first


def _secrets() -> tuple[bytes, ...]:
    keys = tuple(k for k in getattr(settings, "TALENT_ID_KEYS", ()) if k)
    if not keys:
        raise ImproperlyConfigured("TALENT_ID_KEYS is empty: set TALENT_ID_KEY.")
    return tuple(k.encode() for k in keys)


@lru_cache(maxsize=8)
def _ring(secrets: tuple[bytes, ...]) -> _KeyRing:
    # Two independent keys from each secret: one to encrypt, one to fingerprint.
    fernets, macs = [], []
    for secret in secrets:
        enc = hashlib.sha256(b"tmhub.talent.id.encrypt:" + secret).digest()
        fernets.append(Fernet(base64.urlsafe_b64encode(enc)))
        macs.append(hashlib.sha256(b"tmhub.talent.id.digest:" + secret).digest())
    return _KeyRing(MultiFernet(fernets), fernets[0], tuple(macs))


def _keys() -> _KeyRing:
    return _ring(_secrets())


def normalize_id(identity_type: str, number: str, nationality: str = "") -> str:
    """Canonical form used for the digest: upper case, no spaces, passports keyed by country."""
    compact = "".join((number or "").split()).upper()
    if identity_type == "passport":
        return f"P:{(nationality or '').strip().upper()}:{compact}"
    return f"R:{compact}"


def encrypt(value: str) -> str:
    return _keys().encrypting.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The plain value of an encrypted token ('' only when nothing is stored).

    Raises UndecryptableIdNumber when no configured key decrypts it."""
    if not token:
        return ""
    try:
        return _keys().encrypting.decrypt(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableIdNumber("No key in TALENT_ID_KEYS decrypts this ID number.") from None


def is_current(token: str) -> bool:
    """True when `token` is encrypted with the newest key (nothing for rotation to do)."""
    try:
        _keys().newest.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def reencrypt(token: str) -> str:
    """`token` encrypted again with the newest key (raises UndecryptableIdNumber as decrypt)."""
    try:
        return _keys().encrypting.rotate(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableIdNumber("No key in TALENT_ID_KEYS decrypts this ID number.") from None


def _digest(mac: bytes, canonical: str) -> str:
    return hmac.new(mac, canonical.encode(), hashlib.sha256).hexdigest()


def digest(canonical: str) -> str:
    """The fingerprint stored with a number: under the newest key."""
    return _digest(_keys().macs[0], canonical)


def digests(canonical: str) -> list[str]:
    """The fingerprint under every key, newest first: what a duplicate lookup must try while
    rows written before a rotation still carry an older one."""
    return [_digest(mac, canonical) for mac in _keys().macs]


def mask(number: str) -> str:
    """The only form of an ID number that pages, the API and exports ever show."""
    compact = "".join((number or "").split()).upper()
    if len(compact) >= 15:
        return mask_identifier(compact, keep_start=3, keep_end=2)
    return mask_identifier(compact, keep_start=1, keep_end=2)
