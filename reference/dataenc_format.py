#!/usr/bin/env python3
"""Independent reference implementation of the dataenc ciphertext formats.

Written from docs/FORMAT.md alone (no Java source was read), to check that the
specification is complete and exact.  Python 3.11, standard library plus the
`cryptography` package.

Implements
  * property value format v1      (suite 0x01, AES-256-GCM, text prefix "dataenc:v1:")
  * deterministic property value   (suite 0x03, AES-SIV / RFC 5297, text prefix "dataenc:d1:")
  * BLOB format v1                 (suite 0x02, segmented AES-256-GCM, per-BLOB HKDF key), streaming
  * key check value (KCV)
  * azure-key-vault wrapped-key layout (encode / decode / binding; the vault itself is not modelled,
    except that A256KW can be simulated locally with a key-encryption key)

Every rejection is a DataencError carrying the name of the Java exception class that FORMAT.md
says the Java library reports, or "Unspecified:<reason>" where FORMAT.md does not say.

Usage
  python3 dataenc_format.py              JSON request on stdin, JSON response on stdout
  python3 dataenc_format.py --self-test  run the worked examples and the tampering checks
  python3 dataenc_format.py --help       describe the JSON protocol (see CLI_HELP below)
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import io
import json
import os
import secrets
import struct
import sys
import tempfile
import uuid
from typing import BinaryIO, Callable, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import cmac, hashes, keywrap
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# --------------------------------------------------------------------------------------------
# Constants (FORMAT.md section in brackets)
# --------------------------------------------------------------------------------------------

MAGIC = 0xDE                      # [intro] first byte of every dataenc ciphertext
FORMAT_VERSION = 0x01             # [all formats] format version byte
SUITE_PROPERTY = 0x01             # [Property ciphertext format, version 1]
SUITE_BLOB = 0x02                 # [BLOB ciphertext format, version 1]
SUITE_DETERMINISTIC = 0x03        # [Deterministic property ciphertext (suite 3)]

CDK_KEY_LEN = 32                  # a CDK is 32 key bytes (AES-256)
HEADER_LEN = 19                   # magic, version, suite, 16-byte CDK id

# property, suite 1
PROP_IV_LEN = 12
TAG_LEN = 16
PROP_MIN_LEN = HEADER_LEN + PROP_IV_LEN + TAG_LEN        # 47
TEXT_PREFIX_V1 = "dataenc:v1:"

# deterministic, suite 3
SIV_LEN = 16
DET_MIN_LEN = HEADER_LEN + SIV_LEN                       # 35
TEXT_PREFIX_D1 = "dataenc:d1:"
SIV_INFO_LABEL = b"dataenc siv v1"                       # 14 ASCII bytes
SIV_KEY_LEN = 64

# BLOB, suite 2
BLOB_HEADER_LEN = 62
BLOB_SALT_LEN = 32
BLOB_NONCE_PREFIX_LEN = 7
BLOB_MIN_SEGMENT = 4096
BLOB_MAX_SEGMENT = 16777216
BLOB_DEFAULT_SEGMENT = 65536                              # writer default
BLOB_DEFAULT_READ_CAP = 1 << 20                           # Java reader default cap (1 MiB)
BLOB_MAX_SEGMENT_INDEX = 0xFFFFFFFF                       # at most 2^32 segments
BLOB_INFO_LABEL = b"dataenc blob v1"                     # 15 ASCII bytes

# key check value
KCV_LABEL = b"dataenc cdk check v1"                      # 20 ASCII bytes

# azure-key-vault wrapped key
AKV_LAYOUT_BYTE = 0x01
AKV_ALGS = {0x01: "RSA-OAEP-256", 0x02: "A256KW"}
AKV_BINDING_LABEL = b"dataenc/azure-key-vault/cdk-id/v1"
AKV_PLAINTEXT_LEN = CDK_KEY_LEN + 16                      # CDK (32) | binding (16)

# Exception class names used by FORMAT.md
MALFORMED = "MalformedCiphertextException"
UNKNOWN_CDK = "UnknownCdkException"
DECRYPTION_FAILED = "DecryptionFailedException"
TEXT_ENCODING = "TextEncodingException"
LIMIT_EXCEEDED = "CiphertextLimitExceededException"
CDK_CHECK_FAILED = "CdkCheckFailedException"
WRAPPED_KEY = "WrappedKeyException"
IO_EXCEPTION = "IOException"


class DataencError(Exception):
    """A rejection, labelled with the Java exception class name FORMAT.md gives for it."""

    def __init__(self, java_name: str, message: str):
        super().__init__(message)
        self.java_name = java_name
        self.message = message


class RequestError(Exception):
    """A CLI case that cannot be executed (missing/invalid field); not a format rejection."""


# --------------------------------------------------------------------------------------------
# Helpers: UUIDs, strings, base64url, key registry
# --------------------------------------------------------------------------------------------

def uuid_to_bytes(text: str) -> bytes:
    """CDK id on the wire: most-significant 64 bits then least-significant 64 bits, big-endian,
    i.e. the 32 hex digits of the UUID in order."""
    return uuid.UUID(text).bytes


def bytes_to_uuid(raw: bytes) -> str:
    return str(uuid.UUID(bytes=bytes(raw)))


def encode_context(context: str) -> bytes:
    """[Strings] strict UTF-8, no normalisation; an unpaired surrogate is refused.

    A Python str decoded from JSON may contain lone surrogates ("\\ud800"); encoding them with
    'strict' raises, which is exactly the Java behaviour the doc describes."""
    try:
        return context.encode("utf-8", "strict")
    except UnicodeEncodeError:
        raise DataencError(TEXT_ENCODING, "context has an unpaired surrogate") from None


def encode_text_plaintext(text: str) -> bytes:
    """[Strings] encryptString: UTF-8, unpaired surrogate refused."""
    try:
        return text.encode("utf-8", "strict")
    except UnicodeEncodeError:
        raise DataencError(TEXT_ENCODING, "plaintext string has an unpaired surrogate") from None


def decode_text_plaintext(data: bytes) -> str:
    """[Strings] decryptString: strict UTF-8 (overlong forms, encoded surrogates, truncated
    sequences refused, never replaced by U+FFFD)."""
    try:
        return data.decode("utf-8", "strict")
    except UnicodeDecodeError:
        raise DataencError(TEXT_ENCODING, "decrypted bytes are not valid UTF-8") from None


_B64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_B64URL_VALUE = {c: i for i, c in enumerate(_B64URL_ALPHABET)}


def b64url_encode(data: bytes) -> str:
    """RFC 4648 section 5 alphabet, no padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode_strict(text: str) -> bytes:
    """Strict unpadded base64url, as FORMAT.md "Text form" requires: reject padding, whitespace,
    characters outside the alphabet, length mod 4 = 1 and non-zero unused bits in the last
    character, so that every text has exactly one binary form.  Written out by hand rather than
    relying on base64.urlsafe_b64decode, which is lenient."""
    for pos, ch in enumerate(text):
        if ch not in _B64URL_VALUE:
            what = ("padding" if ch == "=" else "whitespace" if ch.isspace()
                    else "character outside the base64url alphabet")
            raise DataencError(MALFORMED, f"bad base64url: {what} at position {pos}")
    if len(text) % 4 == 1:
        raise DataencError(MALFORMED, "bad base64url: impossible length (length mod 4 = 1)")
    out = bytearray()
    acc = 0
    bits = 0
    for ch in text:
        acc = (acc << 6) | _B64URL_VALUE[ch]
        bits += 6
        if bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    # 0, 2 or 4 bits are left over; they must be zero (canonical encoding)
    if acc & ((1 << bits) - 1):
        raise DataencError(MALFORMED, "bad base64url: non-canonical encoding (unused bits set)")
    return bytes(out)


class KeyRing:
    """The CDK registry + keystore as seen by a reader: CDK id -> 32 key bytes.
    An id not present is an unknown CDK (UnknownCdkException)."""

    def __init__(self, keys: dict[bytes, bytes] | None = None, fallback: bytes | None = None):
        self.keys = dict(keys or {})
        self.fallback = fallback   # self-test only: give this key for every id

    @classmethod
    def from_json(cls, obj: dict) -> "KeyRing":
        keys = {}
        for cid, khex in obj.items():
            key = bytes.fromhex(khex)
            if len(key) != CDK_KEY_LEN:
                raise ValueError(f"key for {cid} is not 32 bytes")
            keys[uuid_to_bytes(cid)] = key
        return cls(keys)

    def get(self, cdk_id: bytes) -> bytes:
        key = self.keys.get(bytes(cdk_id))
        if key is None:
            if self.fallback is not None:
                return self.fallback
            raise DataencError(UNKNOWN_CDK, f"CDK {bytes_to_uuid(cdk_id)} is not in the registry")
        return key


# --------------------------------------------------------------------------------------------
# Common header checks (property and deterministic)
# --------------------------------------------------------------------------------------------

_SUITE_OWNER = {SUITE_PROPERTY: "PropertyCipher", SUITE_BLOB: "BlobCipher",
                SUITE_DETERMINISTIC: "DeterministicCipher"}


def check_value_header(data: bytes, suite: int, min_len: int) -> None:
    """[Property: Decrypting, step 1] in the documented order: empty / magic, version, suite,
    length.  A byte that is missing because the input is too short fails the check that needs
    it as "too short"; all of these are MalformedCiphertextException anyway."""
    if len(data) == 0:
        raise DataencError(MALFORMED, "empty ciphertext")
    if data[0] != MAGIC:
        raise DataencError(MALFORMED, "not a dataenc ciphertext (byte 0 is not 0xDE)")
    if len(data) < 2:
        raise DataencError(MALFORMED, f"ciphertext too short ({len(data)} bytes)")
    if data[1] != FORMAT_VERSION:
        raise DataencError(MALFORMED, f"unknown format version 0x{data[1]:02x}")
    if len(data) < 3:
        raise DataencError(MALFORMED, f"ciphertext too short ({len(data)} bytes)")
    if data[2] != suite:
        owner = _SUITE_OWNER.get(data[2])
        hint = f" (a {owner} ciphertext)" if owner else ""
        raise DataencError(MALFORMED, f"unknown suite 0x{data[2]:02x} for "
                                      f"{_SUITE_OWNER[suite]}{hint}")
    if len(data) < min_len:
        raise DataencError(MALFORMED, f"ciphertext too short ({len(data)} < {min_len} bytes)")


def value_header(suite: int, cdk_id: bytes) -> bytes:
    return bytes([MAGIC, FORMAT_VERSION, suite]) + bytes(cdk_id)


def decode_text_form(text: str, prefix: str, suite: int) -> bytes:
    """Text form -> binary; strict.  The prefix is compared case-sensitively.  The suite of the
    decoded bytes must match the prefix ("a text whose prefix does not match its suite is
    malformed"); the rest of the binary is checked by the decryptor."""
    if not isinstance(text, str) or not text.startswith(prefix):
        other = TEXT_PREFIX_D1 if prefix == TEXT_PREFIX_V1 else TEXT_PREFIX_V1
        if isinstance(text, str) and text.startswith(other):
            raise DataencError(MALFORMED, f"text prefix {other!r} is not {prefix!r} "
                                          f"(use {_SUITE_OWNER[SUITE_DETERMINISTIC if suite == SUITE_PROPERTY else SUITE_PROPERTY]})")
        raise DataencError(MALFORMED, f"bad text prefix (expected {prefix!r})")
    data = b64url_decode_strict(text[len(prefix):])
    if len(data) >= 3 and data[0] == MAGIC and data[1] == FORMAT_VERSION and data[2] != suite:
        raise DataencError(MALFORMED, f"text prefix {prefix!r} does not match suite 0x{data[2]:02x}")
    return data


# --------------------------------------------------------------------------------------------
# Property value format v1 (suite 0x01)
# --------------------------------------------------------------------------------------------

def property_encrypt(cdk_id: bytes, key: bytes, context: str, plaintext: bytes,
                     iv: bytes | None = None) -> bytes:
    """header(19) | IV(12) | GCM ciphertext(n) | tag(16); AAD = header | UTF-8(context)."""
    header = value_header(SUITE_PROPERTY, cdk_id)
    aad = header + encode_context(context)
    if iv is None:
        iv = secrets.token_bytes(PROP_IV_LEN)          # fresh CSPRNG IV for every encryption
    if len(iv) != PROP_IV_LEN:
        raise ValueError("IV must be 12 bytes")
    return header + iv + AESGCM(key).encrypt(iv, plaintext, aad)


def property_decrypt(keys: KeyRing, data: bytes, context: str) -> bytes:
    """[Decrypting, step by step] steps 1-5 in the documented order."""
    check_value_header(data, SUITE_PROPERTY, PROP_MIN_LEN)            # 1
    context_bytes = encode_context(context)                           # 2
    cdk_id = data[3:19]
    key = keys.get(cdk_id)                                            # 3
    aad = data[:HEADER_LEN] + context_bytes                           # 4
    try:
        return AESGCM(key).decrypt(data[19:31], data[31:], aad)       # 5
    except InvalidTag:
        raise DataencError(DECRYPTION_FAILED, f"tag does not verify (CDK {bytes_to_uuid(cdk_id)}, "
                                              f"context {context!r})") from None


def property_encode_text(data: bytes) -> str:
    return TEXT_PREFIX_V1 + b64url_encode(data)


def property_decode_text(text: str) -> bytes:
    return decode_text_form(text, TEXT_PREFIX_V1, SUITE_PROPERTY)


# --------------------------------------------------------------------------------------------
# Deterministic property value (suite 0x03)
# --------------------------------------------------------------------------------------------

def siv_key(cdk_key: bytes, cdk_id: bytes) -> bytes:
    """K = HKDF-SHA256(IKM = CDK, salt = 32 zero bytes, info = "dataenc siv v1" | CDK id, L = 64)."""
    return HKDF(hashes.SHA256(), SIV_KEY_LEN, b"\x00" * 32,
                SIV_INFO_LABEL + bytes(cdk_id)).derive(cdk_key)


def deterministic_encrypt(cdk_id: bytes, key: bytes, context: str, plaintext: bytes) -> bytes:
    """header(19) | V(16) | CTR ciphertext(n); one S2V AD string = header | UTF-8(context)."""
    header = value_header(SUITE_DETERMINISTIC, cdk_id)
    ad = header + encode_context(context)
    return header + AESSIV(siv_key(key, cdk_id)).encrypt(plaintext, [ad])


def deterministic_decrypt(keys: KeyRing, data: bytes, context: str) -> bytes:
    check_value_header(data, SUITE_DETERMINISTIC, DET_MIN_LEN)
    context_bytes = encode_context(context)      # before any key is looked up
    cdk_id = data[3:19]
    key = keys.get(cdk_id)
    ad = data[:HEADER_LEN] + context_bytes
    try:
        return AESSIV(siv_key(key, cdk_id)).decrypt(data[HEADER_LEN:], [ad])
    except InvalidTag:
        raise DataencError(DECRYPTION_FAILED, f"synthetic IV does not verify (CDK "
                                              f"{bytes_to_uuid(cdk_id)}, context {context!r})") from None


def deterministic_encode_text(data: bytes) -> str:
    return TEXT_PREFIX_D1 + b64url_encode(data)


def deterministic_decode_text(text: str) -> bytes:
    return decode_text_form(text, TEXT_PREFIX_D1, SUITE_DETERMINISTIC)


# Independent RFC 5297 SIV built from AES-CMAC and AES-CTR, used only by the self-test to
# cross-check `cryptography`'s AESSIV (the doc's example was itself made with AESSIV).
def _dbl(block: bytes) -> bytes:
    v = int.from_bytes(block, "big") << 1
    if v >> 128:
        v = (v & ((1 << 128) - 1)) ^ 0x87
    return v.to_bytes(16, "big")


def _cmac(key: bytes, msg: bytes) -> bytes:
    c = cmac.CMAC(algorithms.AES(key))
    c.update(msg)
    return c.finalize()


def rfc5297_siv_encrypt(key: bytes, plaintext: bytes, ads: list[bytes]) -> bytes:
    k1, k2 = key[:len(key) // 2], key[len(key) // 2:]
    d = _cmac(k1, b"\x00" * 16)                       # S2V
    for ad in ads:
        d = bytes(a ^ b for a, b in zip(_dbl(d), _cmac(k1, ad)))
    if len(plaintext) >= 16:
        t = plaintext[:-16] + bytes(a ^ b for a, b in zip(plaintext[-16:], d))
    else:
        padded = plaintext + b"\x80" + b"\x00" * (15 - len(plaintext))
        t = bytes(a ^ b for a, b in zip(_dbl(d), padded))
    v = _cmac(k1, t)
    q = bytearray(v)                                  # clear the two 31st bits
    q[8] &= 0x7F
    q[12] &= 0x7F
    enc = Cipher(algorithms.AES(k2), modes.CTR(bytes(q))).encryptor()
    return v + enc.update(plaintext) + enc.finalize()


# --------------------------------------------------------------------------------------------
# BLOB format v1 (suite 0x02)
# --------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class BlobHeader:
    cdk_id: bytes
    segment_size: int
    salt: bytes
    nonce_prefix: bytes

    def to_bytes(self) -> bytes:
        return (bytes([MAGIC, FORMAT_VERSION, SUITE_BLOB]) + self.cdk_id
                + struct.pack(">I", self.segment_size) + self.salt + self.nonce_prefix)

    def as_json(self) -> dict:
        return {"format": "blob-v1", "version": FORMAT_VERSION, "suite": SUITE_BLOB,
                "cdk": bytes_to_uuid(self.cdk_id), "segment_size": self.segment_size,
                "salt": self.salt.hex(), "nonce_prefix": self.nonce_prefix.hex(),
                "header_length": BLOB_HEADER_LEN}


def parse_blob_header(raw: bytes, max_read_segment_size: int = BLOB_DEFAULT_READ_CAP) -> BlobHeader:
    """[BLOB Header] + [Errors]: checks in the order magic, version, suite, complete header,
    segment-size range (MalformedCiphertextException), then the reader's cap
    (CiphertextLimitExceededException).  No key is used."""
    if len(raw) >= 1 and raw[0] != MAGIC:
        raise DataencError(MALFORMED, "not a dataenc ciphertext (byte 0 is not 0xDE)")
    if len(raw) >= 2 and raw[1] != FORMAT_VERSION:
        raise DataencError(MALFORMED, f"unknown format version 0x{raw[1]:02x}")
    if len(raw) >= 3 and raw[2] != SUITE_BLOB:
        owner = _SUITE_OWNER.get(raw[2])
        hint = f" (a {owner} ciphertext)" if owner else ""
        raise DataencError(MALFORMED, f"unknown suite 0x{raw[2]:02x} for BlobCipher{hint}")
    if len(raw) < BLOB_HEADER_LEN:
        raise DataencError(MALFORMED, f"stream ends inside the 62-byte header ({len(raw)} bytes)")
    seg = struct.unpack(">I", raw[19:23])[0]
    if not BLOB_MIN_SEGMENT <= seg <= BLOB_MAX_SEGMENT:
        raise DataencError(MALFORMED, f"segment size {seg} outside {BLOB_MIN_SEGMENT}..{BLOB_MAX_SEGMENT}")
    if seg > max_read_segment_size:
        raise DataencError(LIMIT_EXCEEDED, f"segment size {seg} above the reader's cap "
                                           f"{max_read_segment_size}")
    return BlobHeader(bytes(raw[3:19]), seg, bytes(raw[23:55]), bytes(raw[55:62]))


def blob_key(cdk_key: bytes, header_bytes: bytes, context_bytes: bytes) -> bytes:
    """K = HKDF-SHA256(IKM = CDK, salt = header[23..55), info = "dataenc blob v1" | header | context, L = 32)."""
    return HKDF(hashes.SHA256(), 32, header_bytes[23:55],
                BLOB_INFO_LABEL + header_bytes + context_bytes).derive(cdk_key)


def blob_nonce(prefix: bytes, index: int, last: bool) -> bytes:
    """nonce = prefix(7) | index uint32 BE | 0x01 if last else 0x00."""
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


def _read_fully(src: BinaryIO, n: int) -> bytes:
    """Read exactly n bytes unless the input ends first (short reads are retried)."""
    chunks = []
    remaining = n
    while remaining > 0:
        try:
            chunk = src.read(remaining)
        except OSError as e:
            raise DataencError(IO_EXCEPTION, f"read failed: {e}") from None
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def blob_encrypt_stream(src: BinaryIO, dst: BinaryIO, cdk_id: bytes, cdk_key: bytes, context: str,
                        segment_size: int = BLOB_DEFAULT_SEGMENT, salt: bytes | None = None,
                        nonce_prefix: bytes | None = None) -> BlobHeader:
    """Streaming writer.  Holds one segment of plaintext plus one segment of look-ahead, so it
    knows whether a segment is the last one before encrypting it."""
    context_bytes = encode_context(context)      # refused before any key is used
    if not BLOB_MIN_SEGMENT <= segment_size <= BLOB_MAX_SEGMENT:
        raise DataencError("Unspecified:segment-size-out-of-range",
                           f"segment size {segment_size} outside {BLOB_MIN_SEGMENT}..{BLOB_MAX_SEGMENT}")
    salt = secrets.token_bytes(BLOB_SALT_LEN) if salt is None else salt
    nonce_prefix = secrets.token_bytes(BLOB_NONCE_PREFIX_LEN) if nonce_prefix is None else nonce_prefix
    if len(salt) != BLOB_SALT_LEN or len(nonce_prefix) != BLOB_NONCE_PREFIX_LEN:
        raise ValueError("salt must be 32 bytes and nonce prefix 7 bytes")
    header = BlobHeader(bytes(cdk_id), segment_size, salt, nonce_prefix)
    header_bytes = header.to_bytes()
    gcm = AESGCM(blob_key(cdk_key, header_bytes, context_bytes))
    dst.write(header_bytes)
    current = _read_fully(src, segment_size)
    index = 0
    while True:
        # A segment is not last only if it is full AND more plaintext follows.
        nxt = _read_fully(src, segment_size) if len(current) == segment_size else b""
        last = not nxt
        dst.write(gcm.encrypt(blob_nonce(nonce_prefix, index, last), current, None))
        if last:
            return header
        current = nxt
        index += 1
        if index > BLOB_MAX_SEGMENT_INDEX:
            raise DataencError("Unspecified:too-many-segments", "a BLOB has at most 2^32 segments")


def blob_decrypt_stream(src: BinaryIO, keys: KeyRing, context: str,
                        max_read_segment_size: int = BLOB_DEFAULT_READ_CAP,
                        on_header: Callable[[BlobHeader], None] | None = None) -> Iterator[bytes]:
    """Streaming reader: yields each segment's plaintext only after its tag verified.

    Order of checks (FORMAT.md BLOB "Errors"): context encoding (stream creation), header
    (malformed), cap, CDK lookup, then segment by segment.  Last-segment recognition: read
    S + 16 bytes and try to read one more byte; if that byte exists the segment is not last."""
    context_bytes = encode_context(context)
    header_bytes = _read_fully(src, BLOB_HEADER_LEN)
    header = parse_blob_header(header_bytes, max_read_segment_size)
    if on_header:
        on_header(header)
    gcm = AESGCM(blob_key(keys.get(header.cdk_id), header_bytes, context_bytes))
    seg_ct_len = header.segment_size + TAG_LEN
    where = f"CDK {bytes_to_uuid(header.cdk_id)}, context {context!r}"
    buf = _read_fully(src, seg_ct_len)
    index = 0
    while True:
        if len(buf) == seg_ct_len:
            lookahead = _read_fully(src, 1)
            last = not lookahead
        else:
            lookahead, last = b"", True
        if len(buf) < TAG_LEN:
            raise DataencError(DECRYPTION_FAILED, f"truncated BLOB: last segment {index} is "
                                                  f"{len(buf)} bytes, shorter than its tag ({where})")
        if index > BLOB_MAX_SEGMENT_INDEX:
            raise DataencError(DECRYPTION_FAILED, f"more than 2^32 segments ({where})")
        try:
            plaintext = gcm.decrypt(blob_nonce(header.nonce_prefix, index, last), buf, None)
        except InvalidTag:
            raise DataencError(DECRYPTION_FAILED, f"segment {index} does not authenticate "
                                                  f"(read as {'last' if last else 'not last'}; {where})") from None
        yield plaintext
        if last:
            return
        buf = lookahead + _read_fully(src, seg_ct_len - 1)
        index += 1


def blob_encrypt(cdk_id: bytes, key: bytes, context: str, plaintext: bytes, **kw) -> bytes:
    out = io.BytesIO()
    blob_encrypt_stream(io.BytesIO(plaintext), out, cdk_id, key, context, **kw)
    return out.getvalue()


def blob_decrypt(keys: KeyRing, data: bytes, context: str, **kw) -> bytes:
    return b"".join(blob_decrypt_stream(io.BytesIO(data), keys, context, **kw))


def blob_layout(header: BlobHeader, total_len: int) -> dict:
    """Segments and plaintext length implied by a BLOB's total length (for "inspect").
    Informational: says "truncated" when the length cannot be a well-formed BLOB."""
    body = total_len - BLOB_HEADER_LEN
    full = header.segment_size + TAG_LEN
    q, r = divmod(body, full)
    if body < TAG_LEN or 0 < r < TAG_LEN:
        return {"total_length": total_len, "layout": "truncated"}
    segments = q if r == 0 else q + 1
    return {"total_length": total_len, "segments": segments,
            "plaintext_length": body - TAG_LEN * segments,
            "last_segment_plaintext_length": (header.segment_size if r == 0 else r - TAG_LEN)}


class AtomicOutput:
    """Write to a temporary file next to the target; rename over it only on success, so a
    failed BLOB leaves no partial output behind.  Computes SHA-256 of what was written."""

    def __init__(self, path: str):
        self.path = path
        directory = os.path.dirname(os.path.abspath(path))
        fd, self.tmp = tempfile.mkstemp(prefix=".dataenc-", suffix=".part", dir=directory)
        self.f = os.fdopen(fd, "wb")
        self.sha = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.sha.update(data)
        return self.f.write(data)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.f.close()
        if exc_type is None:
            os.replace(self.tmp, self.path)
        else:
            try:
                os.unlink(self.tmp)
            except FileNotFoundError:
                pass
        return False


# --------------------------------------------------------------------------------------------
# Key check value
# --------------------------------------------------------------------------------------------

def kcv(cdk_id: bytes, key: bytes) -> bytes:
    """KCV = HMAC-SHA256(key = CDK, message = "dataenc cdk check v1" | CDK id)."""
    return hmac.new(key, KCV_LABEL + bytes(cdk_id), hashlib.sha256).digest()


def kcv_verify(cdk_id: bytes, key: bytes, expected: bytes) -> None:
    if not hmac.compare_digest(kcv(cdk_id, key), expected):
        raise DataencError(CDK_CHECK_FAILED, f"key does not match the check value of CDK "
                                             f"{bytes_to_uuid(cdk_id)}")


# --------------------------------------------------------------------------------------------
# azure-key-vault wrapped key layout
# --------------------------------------------------------------------------------------------

def akv_binding(cdk_id: bytes) -> bytes:
    """first 16 bytes of SHA-256("dataenc/azure-key-vault/cdk-id/v1" | CDK id)."""
    return hashlib.sha256(AKV_BINDING_LABEL + bytes(cdk_id)).digest()[:16]


def akv_plaintext(cdk_id: bytes, key: bytes) -> bytes:
    """What is handed to wrapKey: CDK (32) | binding (16)."""
    return bytes(key) + akv_binding(cdk_id)


def akv_encode(alg: int, kid: str, wrapped: bytes) -> bytes:
    """0x01 | alg (1) | kid length (2, BE) | kid (UTF-8) | wrapKey output."""
    if alg not in AKV_ALGS:
        raise ValueError(f"unknown alg {alg}")
    kid_bytes = kid.encode("utf-8", "strict")
    if len(kid_bytes) > 0xFFFF:
        raise ValueError("kid too long")
    return bytes([AKV_LAYOUT_BYTE, alg]) + struct.pack(">H", len(kid_bytes)) + kid_bytes + bytes(wrapped)


def akv_decode(wrapping: bytes, expected_kid: str | None = None) -> dict:
    """Parse a wrapping.  Conditions FORMAT.md does not name an exception for are reported as
    Unspecified:<reason>.  If expected_kid (versionless key id + "/" + version) is given, a
    different kid is refused with WrappedKeyException (as the doc says)."""
    if len(wrapping) < 4:
        raise DataencError("Unspecified:akv-too-short", "wrapping shorter than 4 bytes")
    if wrapping[0] != AKV_LAYOUT_BYTE:
        raise DataencError("Unspecified:akv-layout-byte", f"first byte 0x{wrapping[0]:02x} is not 0x01")
    alg = wrapping[1]
    if alg not in AKV_ALGS:
        raise DataencError("Unspecified:akv-unknown-alg", f"unknown alg 0x{alg:02x}")
    kid_len = struct.unpack(">H", wrapping[2:4])[0]
    if 4 + kid_len > len(wrapping):
        raise DataencError("Unspecified:akv-kid-overrun", "kid length runs past the end")
    try:
        kid = wrapping[4:4 + kid_len].decode("utf-8", "strict")
    except UnicodeDecodeError:
        raise DataencError("Unspecified:akv-kid-not-utf8", "kid is not valid UTF-8") from None
    wrapped = wrapping[4 + kid_len:]
    if expected_kid is not None and kid != expected_kid:
        raise DataencError(WRAPPED_KEY, f"kid {kid!r} is not the registry's {expected_kid!r}")
    return {"layout": AKV_LAYOUT_BYTE, "alg": alg, "alg_name": AKV_ALGS[alg], "kid": kid,
            "wrapped": wrapped.hex()}


def akv_check_unwrapped(cdk_id: bytes, plaintext: bytes, check_value: bytes | None = None) -> bytes:
    """After unwrapKey: refuse a plaintext that is not 48 bytes or whose binding does not match
    the CDK id asked for (constant-time compare); then, if a check value is given, the KCV."""
    if len(plaintext) != AKV_PLAINTEXT_LEN:
        raise DataencError("Unspecified:akv-plaintext-length", f"unwrapped plaintext is "
                                                               f"{len(plaintext)} bytes, not 48")
    key, binding = plaintext[:CDK_KEY_LEN], plaintext[CDK_KEY_LEN:]
    if not hmac.compare_digest(binding, akv_binding(cdk_id)):
        raise DataencError("Unspecified:akv-binding-mismatch", f"binding does not match CDK "
                                                               f"{bytes_to_uuid(cdk_id)}")
    if check_value is not None:
        kcv_verify(cdk_id, key, check_value)
    return key


# --------------------------------------------------------------------------------------------
# inspect
# --------------------------------------------------------------------------------------------

def inspect_binary(data: bytes) -> dict:
    """Parse the header of any dataenc binary ciphertext (no key used)."""
    if len(data) >= 3 and data[0] == MAGIC and data[1] == FORMAT_VERSION and data[2] == SUITE_BLOB:
        header = parse_blob_header(data[:BLOB_HEADER_LEN], BLOB_MAX_SEGMENT)
        return {**header.as_json(), **blob_layout(header, len(data))}
    if len(data) >= 3 and data[0] == MAGIC and data[1] == FORMAT_VERSION and data[2] == SUITE_DETERMINISTIC:
        check_value_header(data, SUITE_DETERMINISTIC, DET_MIN_LEN)
        return {"format": "deterministic-v1", "version": 1, "suite": SUITE_DETERMINISTIC,
                "cdk": bytes_to_uuid(data[3:19]), "synthetic_iv": data[19:35].hex(),
                "ciphertext_length": len(data) - DET_MIN_LEN, "total_length": len(data)}
    check_value_header(data, SUITE_PROPERTY, PROP_MIN_LEN)
    return {"format": "property-v1", "version": 1, "suite": SUITE_PROPERTY,
            "cdk": bytes_to_uuid(data[3:19]), "iv": data[19:31].hex(),
            "ciphertext_length": len(data) - PROP_MIN_LEN, "tag": data[-16:].hex(),
            "total_length": len(data)}


def inspect_text(text: str) -> dict:
    if text.startswith(TEXT_PREFIX_D1):
        data = deterministic_decode_text(text)
        check_value_header(data, SUITE_DETERMINISTIC, DET_MIN_LEN)
    else:
        data = property_decode_text(text)
        check_value_header(data, SUITE_PROPERTY, PROP_MIN_LEN)
    return {"text_prefix": text[:11], **inspect_binary(data)}


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------

CLI_HELP = """\
dataenc_format.py - reference implementation of docs/FORMAT.md

  python3 dataenc_format.py < request.json > response.json
  python3 dataenc_format.py --self-test

Request:  {"keys": {"<cdk uuid>": "<64 hex>"}, "cases": [{"id": ..., "op": ..., ...}, ...]}
Response: {"results": [{"id": ..., <result fields> | "error": "<Java exception name>", "message": ...}]}
All byte values are lower-case hex.  Exit code 0 unless the request as a whole is unusable
(not JSON, bad "keys").  A case that lacks fields gets {"error": "InvalidRequest", ...}.
Errors FORMAT.md does not name a class for are "Unspecified:<reason>".

Ops (fields; [optional]):
  property-encrypt       cdk, context, plaintext | plaintext_string, [iv (12 bytes)]
                           -> binary, text
  property-decrypt       binary | text, context, [as_string: true]
                           -> plaintext [, plaintext_string]
  deterministic-encrypt  cdk, context, plaintext | plaintext_string -> binary, text
  deterministic-decrypt  binary | text, context, [as_string: true]
                           -> plaintext [, plaintext_string]
  blob-encrypt           cdk, context, plaintext | plaintext_file, [output_file],
                           [segment_size] (header "segment size S", 4096..16777216, default 65536),
                           [salt] (header "salt", 32 bytes, random if absent),
                           [nonce_prefix] (header "nonce prefix", 7 bytes, random if absent)
                           -> binary  |  output_file, sha256 (of the ciphertext file)
                           (plus "header": the parsed header fields)
  blob-decrypt           binary | input_file, context, [output_file],
                           [max_read_segment_size] (reader cap, default 1048576 like the
                           Java reader; larger S -> CiphertextLimitExceededException)
                           -> plaintext  |  output_file, sha256 (of the plaintext)
                           A failed BLOB leaves no output_file (temp file + rename).
  kcv                    cdk -> kcv
  inspect                binary | text | input_file -> parsed header fields
  akv-binding            cdk -> binding
  akv-plaintext          cdk -> plaintext (CDK | binding, 48 bytes)
  akv-encode             alg (1|2|"RSA-OAEP-256"|"A256KW"), kid, wrapped -> wrapping
  akv-decode             wrapping, [expected_kid] -> layout, alg, alg_name, kid, wrapped
  akv-check-unwrapped    cdk, plaintext (unwrapKey output), [check_value] -> key
  akv-wrap-a256kw        cdk, kek (32 bytes), kid -> wrapping   (local RFC 3394 stand-in for
                           Key Vault's A256KW wrapKey; an assumption, not in FORMAT.md)
  akv-unwrap-a256kw      cdk, kek, wrapping, [expected_kid], [check_value] -> key
"""


def _hex_field(case: dict, name: str, length: int | None = None) -> bytes:
    if name not in case:
        raise RequestError(f"missing field {name!r}")
    try:
        value = bytes.fromhex(case[name])
    except (TypeError, ValueError):
        raise RequestError(f"field {name!r} is not hex") from None
    if length is not None and len(value) != length:
        raise RequestError(f"field {name!r} must be {length} bytes")
    return value


def _str_field(case: dict, name: str) -> str:
    value = case.get(name)
    if not isinstance(value, str):
        raise RequestError(f"missing or non-string field {name!r}")
    return value


def _cdk(case: dict) -> bytes:
    try:
        return uuid_to_bytes(_str_field(case, "cdk"))
    except ValueError:
        raise RequestError("field 'cdk' is not a UUID") from None


def _plaintext(case: dict) -> bytes:
    if "plaintext_string" in case:
        return encode_text_plaintext(_str_field(case, "plaintext_string"))
    return _hex_field(case, "plaintext")


def _ciphertext_input(case: dict, decode_text: Callable[[str], bytes]) -> bytes:
    if "text" in case:
        return decode_text(_str_field(case, "text"))
    return _hex_field(case, "binary")


def _decrypted(case: dict, plaintext: bytes) -> dict:
    result = {"plaintext": plaintext.hex()}
    if case.get("as_string"):
        result["plaintext_string"] = decode_text_plaintext(plaintext)
    return result


def _open_input(path: str) -> BinaryIO:
    try:
        return open(path, "rb")
    except OSError as e:
        raise DataencError(IO_EXCEPTION, f"cannot open {path}: {e}") from None


def _akv_alg(value) -> int:
    if isinstance(value, int) and value in AKV_ALGS:
        return value
    for k, v in AKV_ALGS.items():
        if value == v:
            return k
    raise RequestError("alg must be 1, 2, 'RSA-OAEP-256' or 'A256KW'")


def run_case(keys: KeyRing, case: dict) -> dict:
    op = case.get("op")
    if op == "property-encrypt":
        cdk = _cdk(case)
        iv = _hex_field(case, "iv", PROP_IV_LEN) if "iv" in case else None
        data = property_encrypt(cdk, keys.get(cdk), _str_field(case, "context"), _plaintext(case), iv)
        return {"binary": data.hex(), "text": property_encode_text(data)}
    if op == "property-decrypt":
        data = _ciphertext_input(case, property_decode_text)
        return _decrypted(case, property_decrypt(keys, data, _str_field(case, "context")))
    if op == "deterministic-encrypt":
        cdk = _cdk(case)
        data = deterministic_encrypt(cdk, keys.get(cdk), _str_field(case, "context"), _plaintext(case))
        return {"binary": data.hex(), "text": deterministic_encode_text(data)}
    if op == "deterministic-decrypt":
        data = _ciphertext_input(case, deterministic_decode_text)
        return _decrypted(case, deterministic_decrypt(keys, data, _str_field(case, "context")))
    if op == "blob-encrypt":
        return _blob_encrypt_case(keys, case)
    if op == "blob-decrypt":
        return _blob_decrypt_case(keys, case)
    if op == "kcv":
        cdk = _cdk(case)
        return {"kcv": kcv(cdk, keys.get(cdk)).hex()}
    if op == "inspect":
        if "text" in case:
            return inspect_text(_str_field(case, "text"))
        if "input_file" in case:
            with _open_input(_str_field(case, "input_file")) as f:
                header = parse_blob_header(_read_fully(f, BLOB_HEADER_LEN), BLOB_MAX_SEGMENT)
            size = os.path.getsize(case["input_file"])
            return {**header.as_json(), **blob_layout(header, size)}
        return inspect_binary(_hex_field(case, "binary"))
    if op == "akv-binding":
        return {"binding": akv_binding(_cdk(case)).hex()}
    if op == "akv-plaintext":
        cdk = _cdk(case)
        return {"plaintext": akv_plaintext(cdk, keys.get(cdk)).hex()}
    if op == "akv-encode":
        return {"wrapping": akv_encode(_akv_alg(case.get("alg")), _str_field(case, "kid"),
                                       _hex_field(case, "wrapped")).hex()}
    if op == "akv-decode":
        return akv_decode(_hex_field(case, "wrapping"), case.get("expected_kid"))
    if op == "akv-check-unwrapped":
        cv = _hex_field(case, "check_value", 32) if "check_value" in case else None
        return {"key": akv_check_unwrapped(_cdk(case), _hex_field(case, "plaintext"), cv).hex()}
    if op == "akv-wrap-a256kw":
        cdk = _cdk(case)
        wrapped = keywrap.aes_key_wrap(_hex_field(case, "kek", 32), akv_plaintext(cdk, keys.get(cdk)))
        return {"wrapping": akv_encode(0x02, _str_field(case, "kid"), wrapped).hex()}
    if op == "akv-unwrap-a256kw":
        parsed = akv_decode(_hex_field(case, "wrapping"), case.get("expected_kid"))
        if parsed["alg"] != 0x02:
            raise RequestError("wrapping is not A256KW")
        try:
            plaintext = keywrap.aes_key_unwrap(_hex_field(case, "kek", 32), bytes.fromhex(parsed["wrapped"]))
        except keywrap.InvalidUnwrap:
            raise DataencError("Unspecified:akv-unwrap-failed", "AES key unwrap failed") from None
        cv = _hex_field(case, "check_value", 32) if "check_value" in case else None
        return {"key": akv_check_unwrapped(_cdk(case), plaintext, cv).hex()}
    raise RequestError(f"unknown op {op!r}")


def _blob_encrypt_case(keys: KeyRing, case: dict) -> dict:
    cdk = _cdk(case)
    context = _str_field(case, "context")
    encode_context(context)                   # TextEncodingException before any key is fetched
    key = keys.get(cdk)
    kw = {"segment_size": int(case.get("segment_size", BLOB_DEFAULT_SEGMENT)),
          "salt": _hex_field(case, "salt", BLOB_SALT_LEN) if "salt" in case else None,
          "nonce_prefix": (_hex_field(case, "nonce_prefix", BLOB_NONCE_PREFIX_LEN)
                           if "nonce_prefix" in case else None)}
    if "plaintext_file" in case:
        src = _open_input(_str_field(case, "plaintext_file"))
    else:
        src = io.BytesIO(_hex_field(case, "plaintext"))
    with src:
        if "output_file" in case:
            with AtomicOutput(_str_field(case, "output_file")) as out:
                header = blob_encrypt_stream(src, out, cdk, key, context, **kw)
            return {"output_file": case["output_file"], "sha256": out.sha.hexdigest(),
                    "header": header.as_json()}
        if "plaintext_file" in case:
            raise RequestError("plaintext_file needs output_file")
        buf = io.BytesIO()
        header = blob_encrypt_stream(src, buf, cdk, key, context, **kw)
        return {"binary": buf.getvalue().hex(), "header": header.as_json()}


def _blob_decrypt_case(keys: KeyRing, case: dict) -> dict:
    context = _str_field(case, "context")
    cap = int(case.get("max_read_segment_size", BLOB_DEFAULT_READ_CAP))
    if "input_file" in case:
        src = _open_input(_str_field(case, "input_file"))
    else:
        src = io.BytesIO(_hex_field(case, "binary"))
    with src:
        if "output_file" in case:
            with AtomicOutput(_str_field(case, "output_file")) as out:
                for chunk in blob_decrypt_stream(src, keys, context, cap):
                    out.write(chunk)
            return {"output_file": case["output_file"], "sha256": out.sha.hexdigest()}
        return {"plaintext": b"".join(blob_decrypt_stream(src, keys, context, cap)).hex()}


def cli_main(stdin_text: str) -> tuple[dict, int]:
    try:
        request = json.loads(stdin_text)
        keys = KeyRing.from_json(request.get("keys", {}))
        cases = request["cases"]
        if not isinstance(cases, list):
            raise TypeError("cases must be a list")
    except Exception as e:        # the request as a whole is unusable
        return {"error": "InvalidRequest", "message": f"{type(e).__name__}: {e}"}, 2
    results = []
    for case in cases:
        cid = case.get("id") if isinstance(case, dict) else None
        try:
            if not isinstance(case, dict):
                raise RequestError("case is not an object")
            result = run_case(keys, case)
        except DataencError as e:
            result = {"error": e.java_name, "message": e.message}
        except RequestError as e:
            result = {"error": "InvalidRequest", "message": str(e)}
        except (ValueError, TypeError) as e:
            result = {"error": "InvalidRequest", "message": f"{type(e).__name__}: {e}"}
        results.append({"id": cid, **result})
    return {"results": results}, 0


# --------------------------------------------------------------------------------------------
# Self-test
# --------------------------------------------------------------------------------------------

class SelfTest:
    def __init__(self):
        self.failures = 0
        self.count = 0

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        self.count += 1
        if not ok:
            self.failures += 1
        print(f"{'PASS' if ok else 'FAIL'}  {name}{'' if ok or not detail else '  -- ' + detail}")
        sys.stdout.flush()

    def expect_error(self, name: str, fn: Callable[[], object], java_name: str | set) -> None:
        names = {java_name} if isinstance(java_name, str) else java_name
        try:
            fn()
        except DataencError as e:
            self.check(name, e.java_name in names, f"got {e.java_name}: {e.message}")
            return
        self.check(name, False, "accepted")


def _err(fn: Callable[[], object]) -> str | None:
    """None if fn() succeeds, else the Java exception name of its rejection."""
    try:
        fn()
        return None
    except DataencError as e:
        return e.java_name


def _flip_all_bits(t: SelfTest, name: str, data: bytes, decrypt: Callable[[bytes], object],
                   expected: Callable[[int], set]) -> None:
    """Every single-bit flip must be rejected, with the class expected for that byte offset."""
    accepted, wrong = [], []
    for i in range(len(data) * 8):
        mutated = bytearray(data)
        mutated[i // 8] ^= 1 << (i % 8)
        got = _err(lambda: decrypt(bytes(mutated)))
        if got is None:
            accepted.append(i)
        elif got not in expected(i // 8):
            wrong.append((i, got))
    t.check(f"{name}: all {len(data) * 8} single-bit flips rejected with the documented class",
            not accepted and not wrong, f"accepted bits {accepted[:5]}, wrong class {wrong[:5]}")


def self_test() -> int:
    t = SelfTest()
    key0 = bytes(range(32))
    cdk_a = uuid_to_bytes("123e4567-e89b-12d3-a456-426614174000")
    cdk_b = uuid_to_bytes("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
    keys = KeyRing({cdk_a: key0, cdk_b: key0})
    permissive = KeyRing({cdk_a: key0, cdk_b: key0}, fallback=key0)   # any id -> key0

    # ---- Property example -------------------------------------------------------------------
    print("== Property format v1: worked example")
    ex_bin = bytes.fromhex("de0101123e4567e89b12d3a456426614174000a0a1a2a3a4a5a6a7a8a9aaab"
                           "8e7d10412a5745b7953a5fec8fdd3cbfe208d6b0e6")
    ex_text = "dataenc:v1:3gEBEj5FZ-ibEtOkVkJmFBdAAKChoqOkpaanqKmqq459EEEqV0W3lTpf7I_dPL_iCNaw5g"
    got = property_encrypt(cdk_a, key0, "Customer.email", b"hello",
                           bytes.fromhex("a0a1a2a3a4a5a6a7a8a9aaab"))
    t.check("property example: binary (52 bytes)", got == ex_bin and len(got) == 52, got.hex())
    t.check("property example: ciphertext 8e7d10412a, tag 5745b795...b0e6",
            got[31:36].hex() == "8e7d10412a" and got[36:].hex() == "5745b7953a5fec8fdd3cbfe208d6b0e6")
    t.check("property example: AAD header = de0101123e4567e89b12d3a456426614174000",
            got[:19].hex() == "de0101123e4567e89b12d3a456426614174000")
    t.check("property example: text form", property_encode_text(got) == ex_text, property_encode_text(got))
    t.check("property example: text length 81 = 11 + ceil(4*(5+47)/3)",
            len(ex_text) == 81 == 11 + -(-4 * 52 // 3))
    t.check("property example: text starts with dataenc:v1:3gEB", ex_text.startswith("dataenc:v1:3gEB"))
    t.check("property example: decrypt binary -> hello",
            property_decrypt(keys, ex_bin, "Customer.email") == b"hello")
    t.check("property example: decrypt text -> hello",
            property_decrypt(keys, property_decode_text(ex_text), "Customer.email") == b"hello")
    t.expect_error("property example: context Customer.phone fails the tag check",
                   lambda: property_decrypt(keys, ex_bin, "Customer.phone"), DECRYPTION_FAILED)

    # ---- Deterministic example --------------------------------------------------------------
    print("== Deterministic format (suite 3): worked example")
    det_k = ("b240d2bdeb68068c9759c544a64ed8501eadf19be9b1e8089ed457aef65ce6c4"
             "0b28353579428fdcaba6e8a5508fa8118a16fceee30b6c59a013161324018b39")
    det_bin = bytes.fromhex("de0103123e4567e89b12d3a456426614174000a9bfd9895051d7d55060cd6068bb7a76"
                            "1101750bcbd9fccd456ee59979d3853e68")
    det_text = "dataenc:d1:3gEDEj5FZ-ibEtOkVkJmFBdAAKm_2YlQUdfVUGDNYGi7enYRAXULy9n8zUVu5Zl504U-aA"
    t.check("deterministic example: HKDF key K", siv_key(key0, cdk_a).hex() == det_k)
    t.check("deterministic example: SIV_INFO_LABEL is the 14 listed bytes",
            SIV_INFO_LABEL.hex() == "64617461656e6320736976207631" and len(SIV_INFO_LABEL) == 14)
    got = deterministic_encrypt(cdk_a, key0, "Customer.email", b"alice@example.com")
    t.check("deterministic example: binary", got == det_bin, got.hex())
    t.check("deterministic example: text", deterministic_encode_text(got) == det_text)
    t.check("deterministic example: text length 81 and prefix dataenc:d1:3gED",
            len(det_text) == 81 and det_text.startswith("dataenc:d1:3gED"))
    ad = value_header(SUITE_DETERMINISTIC, cdk_a) + b"Customer.email"
    t.check("deterministic example: independent RFC 5297 (CMAC+CTR) gives the same bytes",
            rfc5297_siv_encrypt(bytes.fromhex(det_k), b"alice@example.com", [ad]) == det_bin[19:])
    t.check("deterministic example: decrypt text -> alice@example.com",
            deterministic_decrypt(keys, deterministic_decode_text(det_text), "Customer.email")
            == b"alice@example.com")
    t.expect_error("deterministic example: other context fails",
                   lambda: deterministic_decrypt(keys, det_bin, "Customer.phone"), DECRYPTION_FAILED)
    t.check("deterministic: VARCHAR(255) holds up to 148 plaintext bytes",
            11 + -(-4 * (148 + 35) // 3) <= 255 < 11 + -(-4 * (149 + 35) // 3))
    rfc_key = bytes.fromhex("fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
    rfc_out = "85632d07c6e8f37f950acd320a2ecc9340c02b9690c4dc04daef7f6afe5c"
    rfc_pt, rfc_ad = bytes.fromhex("112233445566778899aabbccddee"), bytes.fromhex(
        "101112131415161718191a1b1c1d1e1f2021222324252627")
    t.check("RFC 5297 A.1 vector: own SIV and cryptography AESSIV",
            rfc5297_siv_encrypt(rfc_key, rfc_pt, [rfc_ad]).hex() == rfc_out
            == AESSIV(rfc_key).encrypt(rfc_pt, [rfc_ad]).hex())
    ok = all(rfc5297_siv_encrypt(det_k_b, pt, [ad]) == AESSIV(det_k_b).encrypt(pt, [ad])
             for det_k_b in [bytes.fromhex(det_k)] for pt in (bytes(range(n)) for n in range(0, 40)))
    t.check("own SIV == AESSIV for plaintexts of 0..39 bytes (incl. empty)", ok)

    # ---- BLOB example -----------------------------------------------------------------------
    print("== BLOB format v1: worked example")
    salt = bytes(range(0xA0, 0xC0))
    prefix = bytes.fromhex("b0b1b2b3b4b5b6")
    ex_header = ("de0102" "0f1e2d3c4b5a69788796a5b4c3d2e1f0" "00001000"
                 "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf" "b0b1b2b3b4b5b6")
    ex_blob = bytes.fromhex(
        "de01020f1e2d3c4b5a69788796a5b4c3d2e1f000001000a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6"
        "b7b8b9babbbcbdbebfb0b1b2b3b4b5b6543b627ecbfbc91bc16022cb7ba2ee77b397acd694f3e022849c9a")
    hdr = BlobHeader(cdk_b, 4096, salt, prefix).to_bytes()
    t.check("BLOB example: header (62 bytes)", hdr.hex() == ex_header and len(hdr) == 62)
    info = BLOB_INFO_LABEL + hdr + b"Invoice.pdf"
    t.check("BLOB example: info = label | header | context, 15 + 62 + 11 bytes",
            info.hex() == "64617461656e6320626c6f62207631" + ex_header + "496e766f6963652e706466"
            and len(info) == 88)
    prk = hmac.new(salt, key0, hashlib.sha256).hexdigest()
    t.check("BLOB example: PRK", prk == "417e7502c38837c356dc6d3f1c84cfac0efea0e929628cb89ce52f74716620ad")
    kb = blob_key(key0, hdr, b"Invoice.pdf")
    t.check("BLOB example: K", kb.hex() == "d6fca74228944f2967058996cf2e995404af151e3916b674ea068e529a0b9ee4")
    t.check("BLOB example: nonce b0b1b2b3b4b5b6 00000000 01",
            blob_nonce(prefix, 0, True).hex() == "b0b1b2b3b4b5b60000000001")
    seg = AESGCM(kb).encrypt(blob_nonce(prefix, 0, True), b"hello, blob", None)
    t.check("BLOB example: segment ciphertext and tag",
            seg.hex() == "543b627ecbfbc91bc16022" "cb7ba2ee77b397acd694f3e022849c9a")
    got = blob_encrypt(cdk_b, key0, "Invoice.pdf", b"hello, blob", segment_size=4096, salt=salt,
                       nonce_prefix=prefix)
    t.check("BLOB example: complete BLOB (89 bytes)", got == ex_blob and len(got) == 89)
    t.check("BLOB example: decrypt", blob_decrypt(keys, ex_blob, "Invoice.pdf") == b"hello, blob")
    big = bytes(i % 251 for i in range(10000))
    b10k = blob_encrypt(cdk_b, key0, "Invoice.pdf", big, segment_size=4096, salt=salt, nonce_prefix=prefix)
    ok = len(b10k) == 10110
    spans = [(62, 4112, 0, False), (62 + 4112, 4112, 1, False), (62 + 8224, 1824, 2, True)]
    for off, ln, idx, last in spans:
        try:
            AESGCM(kb).decrypt(blob_nonce(prefix, idx, last), b10k[off:off + ln], None)
        except InvalidTag:
            ok = False
    t.check("BLOB example: 10000 bytes -> 10110 bytes, segments 4112/4112/1824 with nonces "
            "...00 / ...01 00 / ...02 01", ok and off + ln == len(b10k))

    # ---- KCV example ------------------------------------------------------------------------
    print("== Key check value: worked example")
    t.check("KCV example", kcv(cdk_a, key0).hex() ==
            "3f789867487bf33e24e30761917d5227aee7d2feffaf01971a8db1137ff59d0b")
    t.check("KCV label is the 20 listed bytes",
            KCV_LABEL.hex() == "64617461656e632063646b20636865636b207631")
    t.expect_error("KCV mismatch -> CdkCheckFailedException",
                   lambda: kcv_verify(cdk_a, bytes(32), kcv(cdk_a, key0)), CDK_CHECK_FAILED)

    # ---- azure-key-vault wrapped key (no worked example in FORMAT.md) ------------------------
    print("== azure-key-vault wrapped key layout (round trips only; FORMAT.md has no example)")
    kid = "https://myvault.vault.azure.net/keys/cdk-wrap/0123456789abcdef0123456789abcdef"
    kek = bytes(range(100, 132))
    t.check("AKV: binding label is ASCII, binding is 16 bytes, plaintext is 48 bytes",
            len(akv_binding(cdk_a)) == 16 and len(akv_plaintext(cdk_a, key0)) == 48)
    for alg, wrapped in ((0x01, os.urandom(256)), (0x02, keywrap.aes_key_wrap(kek, akv_plaintext(cdk_a, key0)))):
        w = akv_encode(alg, kid, wrapped)
        dec = akv_decode(w, expected_kid=kid)
        t.check(f"AKV: encode/decode round trip, alg {AKV_ALGS[alg]}",
                w[:4] == bytes([1, alg]) + len(kid).to_bytes(2, "big") and dec["kid"] == kid
                and dec["wrapped"] == wrapped.hex())
    w = akv_encode(0x02, kid, keywrap.aes_key_wrap(kek, akv_plaintext(cdk_a, key0)))
    t.expect_error("AKV: kid not the registry's version -> WrappedKeyException",
                   lambda: akv_decode(w, expected_kid=kid[:-1] + "0"), WRAPPED_KEY)
    unwrapped = keywrap.aes_key_unwrap(kek, bytes.fromhex(akv_decode(w)["wrapped"]))
    t.check("AKV: A256KW (RFC 3394) unwrap, binding and KCV check give the CDK back",
            akv_check_unwrapped(cdk_a, unwrapped, kcv(cdk_a, key0)) == key0)
    t.expect_error("AKV: wrapping copied onto another CDK -> binding mismatch",
                   lambda: akv_check_unwrapped(cdk_b, unwrapped), "Unspecified:akv-binding-mismatch")
    t.expect_error("AKV: plaintext not 48 bytes",
                   lambda: akv_check_unwrapped(cdk_a, unwrapped[:40]), "Unspecified:akv-plaintext-length")
    forged = bytes(32) + akv_binding(cdk_a)           # attacker's key with a valid binding
    t.expect_error("AKV: substituted key with valid binding stopped by the KCV",
                   lambda: akv_check_unwrapped(cdk_a, forged, kcv(cdk_a, key0)), CDK_CHECK_FAILED)

    # ---- base64url strictness ---------------------------------------------------------------
    print("== Text form: strict base64url")
    body = ex_text[11:]                   # 70 chars, len % 4 == 2
    for label, bad in [("padding", ex_text + "=="), ("whitespace", ex_text[:20] + " " + ex_text[20:]),
                       ("trailing newline", ex_text + "\n"), ("'+' (standard alphabet)", ex_text[:-1] + "+"),
                       ("'/' (standard alphabet)", ex_text[:-1] + "/"), ("length mod 4 = 1", ex_text[:-1]),
                       ("non-canonical last char", ex_text[:-1] + _B64URL_ALPHABET[_B64URL_VALUE[ex_text[-1]] | 1]),
                       ("upper-case prefix", "DATAENC:V1:" + body), ("no prefix", body),
                       ("d1 prefix on a v1 value", "dataenc:d1:" + body),
                       ("v1 prefix on a d1 value", "dataenc:v1:" + det_text[11:]),
                       ("empty payload", "dataenc:v1:")]:
        t.expect_error(f"text rejected: {label}",
                       lambda bad=bad: property_decrypt(keys, property_decode_text(bad), "Customer.email"),
                       MALFORMED)
    t.expect_error("text rejected: v1 prefix on a d1 value given to DeterministicCipher",
                   lambda: deterministic_decode_text("dataenc:v1:" + det_text[11:]), MALFORMED)
    ok = True
    for n in range(0, 64):
        raw = os.urandom(n)
        enc = b64url_encode(raw)
        ok &= b64url_decode_strict(enc) == raw and "=" not in enc
        # no other spelling of the last character may decode to the same bytes
        for c in _B64URL_ALPHABET:
            if enc and c != enc[-1]:
                try:
                    ok &= b64url_decode_strict(enc[:-1] + c) != raw
                except DataencError:
                    pass
    t.check("base64url: round trip 0..63 bytes, exactly one text per binary", ok)
    ok = True
    for i in range(11, len(ex_text)):                   # every single-character substitution
        for c in _B64URL_ALPHABET:
            if c != ex_text[i]:
                bad = ex_text[:i] + c + ex_text[i + 1:]
                ok &= _err(lambda: property_decrypt(keys, property_decode_text(bad), "Customer.email")) is not None
    t.check("property text: every single-character substitution rejected", ok)

    # ---- Round trips ------------------------------------------------------------------------
    print("== Round trips")
    contexts = ["", "Customer.email", "Caf\u00e9", "Cafe\u0301", "\U0001F600 ctx"]
    ok = True
    for ctx in contexts:
        for n in list(range(0, 34)) + [255, 1000]:
            pt = os.urandom(n)
            c1 = property_encrypt(cdk_a, key0, ctx, pt)
            c3 = deterministic_encrypt(cdk_a, key0, ctx, pt)
            ok &= len(c1) == n + 47 and len(c3) == n + 35
            ok &= property_decrypt(keys, property_decode_text(property_encode_text(c1)), ctx) == pt
            ok &= deterministic_decrypt(keys, deterministic_decode_text(deterministic_encode_text(c3)), ctx) == pt
            ok &= len(property_encode_text(c1)) == 11 + -(-4 * (n + 47) // 3)
            ok &= len(deterministic_encode_text(c3)) == 11 + -(-4 * (n + 35) // 3)
            ok &= deterministic_encrypt(cdk_a, key0, ctx, pt) == c3        # deterministic
    t.check("property + deterministic round trips (0..33, 255, 1000 bytes; 5 contexts; lengths)", ok)
    t.expect_error("Caf\\u00e9 and Cafe\\u0301 are different contexts (no normalisation)",
                   lambda: property_decrypt(keys, property_encrypt(cdk_a, key0, "Caf\u00e9", b"x"),
                                            "Cafe\u0301"), DECRYPTION_FAILED)
    ok = True
    for S in (4096, 5000):
        for n in (0, 1, S - 1, S, S + 1, 2 * S - 1, 2 * S, 2 * S + 1, 3 * S + 7):
            pt = os.urandom(n)
            blob = blob_encrypt(cdk_b, key0, "ctx", pt, segment_size=S)
            segs = max(1, -(-n // S))
            ok &= len(blob) == 62 + n + 16 * segs and blob_decrypt(keys, blob, "ctx") == pt
            lay = inspect_binary(blob)
            ok &= lay.get("segments") == segs and lay.get("plaintext_length") == n
    t.check("BLOB round trips around segment boundaries (S=4096, 5000), lengths, inspect layout", ok)
    empty_blob = blob_encrypt(cdk_b, key0, "", b"", segment_size=4096)
    t.check("BLOB: empty plaintext is one empty last segment (78 bytes)",
            len(empty_blob) == 78 and blob_decrypt(keys, empty_blob, "") == b"")
    pt = os.urandom(3 * 4096)
    blob = blob_encrypt(cdk_b, key0, "c", pt, segment_size=4096)
    t.check("BLOB: plaintext a multiple of S ends with a full-length last segment",
            len(blob) == 62 + 3 * 4112 and blob_decrypt(keys, blob, "c") == pt)
    t.check("BLOB: string plaintexts", decode_text_plaintext(
        property_decrypt(keys, property_encrypt(cdk_a, key0, "c", encode_text_plaintext("h\u00e9")), "c")) == "h\u00e9")

    # ---- Error classification ---------------------------------------------------------------
    print("== Error classification")
    unknown = uuid_to_bytes("00000000-0000-0000-0000-000000000001")
    c_unknown = property_encrypt(unknown, key0, "c", b"x")
    t.expect_error("property: unknown CDK", lambda: property_decrypt(keys, c_unknown, "c"), UNKNOWN_CDK)
    t.expect_error("deterministic: unknown CDK", lambda: deterministic_decrypt(
        keys, deterministic_encrypt(unknown, key0, "c", b"x"), "c"), UNKNOWN_CDK)
    t.expect_error("BLOB: unknown CDK", lambda: blob_decrypt(
        keys, blob_encrypt(unknown, key0, "c", b"x", segment_size=4096), "c"), UNKNOWN_CDK)
    t.expect_error("property: unpaired surrogate context (encrypt)",
                   lambda: property_encrypt(cdk_a, key0, "Col\ud800", b"x"), TEXT_ENCODING)
    t.expect_error("property: unpaired surrogate context (decrypt)",
                   lambda: property_decrypt(keys, ex_bin, "Col\ud800"), TEXT_ENCODING)
    t.expect_error("deterministic: unpaired surrogate context",
                   lambda: deterministic_decrypt(keys, det_bin, "Col\udc00"), TEXT_ENCODING)
    t.expect_error("BLOB: unpaired surrogate context (before the header is read)",
                   lambda: blob_decrypt(keys, b"garbage", "Col\ud800"), TEXT_ENCODING)
    t.expect_error("string plaintext with unpaired surrogate",
                   lambda: encode_text_plaintext("a\ud800"), TEXT_ENCODING)
    for bad in (b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82"):
        t.expect_error(f"decryptString rejects {bad.hex()} (overlong/surrogate/truncated)",
                       lambda bad=bad: decode_text_plaintext(bad), TEXT_ENCODING)
    t.expect_error("PropertyCipher rejects suite 3", lambda: property_decrypt(keys, det_bin, "c"), MALFORMED)
    t.expect_error("DeterministicCipher rejects suite 1", lambda: deterministic_decrypt(keys, ex_bin, "c"), MALFORMED)
    t.expect_error("PropertyCipher rejects a BLOB", lambda: property_decrypt(keys, ex_blob, "c"), MALFORMED)
    t.expect_error("BlobCipher rejects a property value", lambda: blob_decrypt(keys, ex_bin, "c"), MALFORMED)
    t.expect_error("property: unknown version", lambda: property_decrypt(keys, b"\xde\x02" + ex_bin[2:], "Customer.email"), MALFORMED)
    t.expect_error("property: unknown suite 0x04", lambda: property_decrypt(keys, b"\xde\x01\x04" + ex_bin[3:], "Customer.email"), MALFORMED)
    t.expect_error("property: empty", lambda: property_decrypt(keys, b"", "c"), MALFORMED)
    for S, cls in ((4095, MALFORMED), (16777217, MALFORMED), (0, MALFORMED), (0xFFFFFFFF, MALFORMED),
                   (1048577, LIMIT_EXCEEDED), (16777216, LIMIT_EXCEEDED)):
        h = bytearray(ex_blob)
        h[19:23] = struct.pack(">I", S)
        t.expect_error(f"BLOB: segment size {S} -> {cls}", lambda h=h: blob_decrypt(keys, bytes(h), "Invoice.pdf"), cls)
    big_s = blob_encrypt(cdk_b, key0, "c", os.urandom(3 << 20), segment_size=2 << 20)
    t.check("BLOB: S = 2 MiB accepted when the reader cap allows it",
            len(blob_decrypt(keys, big_s, "c", max_read_segment_size=BLOB_MAX_SEGMENT)) == 3 << 20)
    t.expect_error("BLOB: S = 2 MiB above the default cap",
                   lambda: blob_decrypt(keys, big_s, "c"), LIMIT_EXCEEDED)
    t.expect_error("BLOB: header only (62 bytes, no segment) is truncated",
                   lambda: blob_decrypt(keys, ex_blob[:62], "Invoice.pdf"), DECRYPTION_FAILED)
    t.expect_error("BLOB: other context", lambda: blob_decrypt(keys, ex_blob, "Invoice.PDF"), DECRYPTION_FAILED)

    # ---- Tampering --------------------------------------------------------------------------
    print("== Tampering")

    def value_expect(offset: int) -> set:
        return {MALFORMED} if offset < 3 else {UNKNOWN_CDK} if offset < 19 else {DECRYPTION_FAILED}

    _flip_all_bits(t, "property (52 bytes)", ex_bin,
                   lambda d: property_decrypt(keys, d, "Customer.email"), value_expect)
    _flip_all_bits(t, "property, every CDK id resolvable", ex_bin,
                   lambda d: property_decrypt(permissive, d, "Customer.email"),
                   lambda o: {MALFORMED} if o < 3 else {DECRYPTION_FAILED})
    _flip_all_bits(t, "deterministic (52 bytes)", det_bin,
                   lambda d: deterministic_decrypt(keys, d, "Customer.email"), value_expect)
    _flip_all_bits(t, "deterministic, every CDK id resolvable", det_bin,
                   lambda d: deterministic_decrypt(permissive, d, "Customer.email"),
                   lambda o: {MALFORMED} if o < 3 else {DECRYPTION_FAILED})
    empty_det = deterministic_encrypt(cdk_a, key0, "c", b"")
    _flip_all_bits(t, "deterministic, empty plaintext (35 bytes)", empty_det,
                   lambda d: deterministic_decrypt(keys, d, "c"), value_expect)

    def blob_expect(offset: int) -> set:
        if offset < 3:
            return {MALFORMED}
        if offset < 19:
            return {UNKNOWN_CDK}
        if offset < 23:      # segment size: out of range, above the cap, or a wrong in-range value
            return {MALFORMED, LIMIT_EXCEEDED, DECRYPTION_FAILED}
        return {DECRYPTION_FAILED}

    _flip_all_bits(t, "BLOB worked example (89 bytes)", ex_blob,
                   lambda d: blob_decrypt(keys, d, "Invoice.pdf"), blob_expect)
    two = blob_encrypt(cdk_b, key0, "c", os.urandom(4096 + 10), segment_size=4096)
    _flip_all_bits(t, f"BLOB, 2 segments ({len(two)} bytes)", two,
                   lambda d: blob_decrypt(keys, d, "c"), blob_expect)
    _flip_all_bits(t, "BLOB, 2 segments, every CDK id resolvable", two[:200],
                   lambda d: blob_decrypt(permissive, d + two[200:], "c"),
                   lambda o: {DECRYPTION_FAILED} if 3 <= o < 19 else blob_expect(o))

    def truncations(name: str, data: bytes, decrypt: Callable[[bytes], object], min_len: int, short_cls: str):
        bad = [n for n in range(len(data))
               if _err(lambda: decrypt(data[:n])) != (short_cls if n < min_len else DECRYPTION_FAILED)]
        t.check(f"{name}: truncation at every length 0..{len(data) - 1} rejected", not bad, f"lengths {bad[:5]}")

    truncations("property", ex_bin, lambda d: property_decrypt(keys, d, "Customer.email"), 47, MALFORMED)
    truncations("deterministic", det_bin, lambda d: deterministic_decrypt(keys, d, "Customer.email"), 35, MALFORMED)
    truncations("BLOB example", ex_blob, lambda d: blob_decrypt(keys, d, "Invoice.pdf"), 62, MALFORMED)
    truncations("BLOB 2 segments", two, lambda d: blob_decrypt(keys, d, "c"), 62, MALFORMED)
    three = blob_encrypt(cdk_b, key0, "c", os.urandom(3 * 4096), segment_size=4096)
    truncations("BLOB 3 full segments", three, lambda d: blob_decrypt(keys, d, "c"), 62, MALFORMED)

    ok = True
    for extra in (b"\x00", os.urandom(15), os.urandom(16), os.urandom(17), os.urandom(4112)):
        ok &= _err(lambda: property_decrypt(keys, ex_bin + extra, "Customer.email")) == DECRYPTION_FAILED
        ok &= _err(lambda: deterministic_decrypt(keys, det_bin + extra, "Customer.email")) == DECRYPTION_FAILED
        for b in (ex_blob, two, three, empty_blob):
            ok &= _err(lambda: blob_decrypt(keys, b + extra, "c" if b is not ex_blob else "Invoice.pdf")) \
                == DECRYPTION_FAILED
    segs3 = [three[62 + i * 4112: 62 + (i + 1) * 4112] for i in range(3)]
    head3 = three[:62]
    for label, body in [("appended copy of last segment", segs3 + [segs3[2]]),
                        ("dropped segment 1", [segs3[0], segs3[2]]),
                        ("duplicated segment 0", [segs3[0], segs3[0], segs3[1], segs3[2]]),
                        ("swapped 0 and 1", [segs3[1], segs3[0], segs3[2]]),
                        ("dropped last segment", segs3[:2])]:
        ok &= _err(lambda: blob_decrypt(keys, head3 + b"".join(body), "c")) == DECRYPTION_FAILED
    other = blob_encrypt(cdk_b, key0, "c", os.urandom(3 * 4096), segment_size=4096)
    ok &= _err(lambda: blob_decrypt(keys, head3 + segs3[0] + other[62 + 4112:62 + 2 * 4112] + segs3[2], "c")) \
        == DECRYPTION_FAILED
    t.check("appended bytes (1, 15, 16, 17, 4112) and appended/dropped/duplicated/reordered/foreign "
            "segments rejected", ok)

    # ---- Streaming and files ----------------------------------------------------------------
    print("== Files")
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "plain.bin")
        with open(src, "wb") as f:
            for _ in range(40):
                f.write(os.urandom(1 << 18))          # 10 MiB
        ct_path, out_path = os.path.join(d, "c.blob"), os.path.join(d, "p.bin")
        req = {"keys": {bytes_to_uuid(cdk_b): key0.hex()}, "cases": [
            {"id": "e", "op": "blob-encrypt", "cdk": bytes_to_uuid(cdk_b), "context": "f",
             "plaintext_file": src, "output_file": ct_path},
            {"id": "d", "op": "blob-decrypt", "context": "f", "input_file": ct_path, "output_file": out_path}]}
        res, rc = cli_main(json.dumps(req))
        with open(src, "rb") as f:
            want = hashlib.sha256(f.read()).hexdigest()
        t.check("CLI: 10 MiB file encrypt/decrypt via files", rc == 0 and res["results"][1].get("sha256") == want,
                json.dumps(res)[:300])
        with open(ct_path, "r+b") as f:
            f.seek(os.path.getsize(ct_path) - 1)
            last = f.read(1)
            f.seek(-1, os.SEEK_CUR)
            f.write(bytes([last[0] ^ 1]))
        os.unlink(out_path)
        res, rc = cli_main(json.dumps({**req, "cases": req["cases"][1:]}))
        t.check("CLI: tampered BLOB file -> DecryptionFailedException and no output file",
                res["results"][0].get("error") == DECRYPTION_FAILED and not os.path.exists(out_path)
                and set(os.listdir(d)) == {"plain.bin", "c.blob"}, json.dumps(res)[:300])

    print(f"\n{t.count - t.failures}/{t.count} checks passed")
    return 1 if t.failures else 0


def main(argv: list[str]) -> int:
    if "--help" in argv or "-h" in argv:
        print(CLI_HELP)
        return 0
    if "--self-test" in argv:
        return self_test()
    response, rc = cli_main(sys.stdin.read())
    json.dump(response, sys.stdout)
    sys.stdout.write("\n")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
