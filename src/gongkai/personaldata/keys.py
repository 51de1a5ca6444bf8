"""The key ring for personal data: versioned AES-256-GCM keys and a separate look-up (HMAC) key.

Where the keys come from, first match wins:

1. the environment: ``GONGKAI_DATA_KEY`` holds one or more ``ID:KEY`` entries separated by
   commas (``KEY`` is 32 random bytes in URL-safe base64; a single ``KEY`` alone is id 1), and
   ``GONGKAI_LOOKUP_KEY`` the look-up key (the same encoding; required with the first);
2. the file ``GONGKAI_DATA_DIR/data_keys.json``, generated on first use with mode 0600.

Never the database: a copy of the database alone reveals no ID number. New values are
encrypted under the key with the highest id; every key of the ring decrypts. A ciphertext is
text: ``gk1:<key id>:<base64 of nonce + ciphertext + tag>``, its associated data the column's
name, so a value copied into another column does not decrypt.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = [
    "KEY_FILE",
    "PREFIX",
    "DataKeyError",
    "KeyRing",
    "add_key",
    "decrypt",
    "encrypt",
    "key_id_of",
    "key_ring",
    "lookup_hash",
]

KEY_FILE = "data_keys.json"
PREFIX = "gk1"
_NONCE = 12


class DataKeyError(Exception):
    """A key that is missing, malformed or does not open a value; Chinese first, then English."""


@dataclass(frozen=True)
class KeyRing:
    keys: dict[int, bytes]
    lookup_key: bytes
    source: str  # "environment" or the key file's path

    @property
    def current_id(self) -> int:
        return max(self.keys)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raw = b""
    if len(raw) != 32:
        raise DataKeyError(
            f"{what} 不是 32 字节的 base64 密钥 / {what} is not a 32-byte key in URL-safe base64"
        )
    return raw


def new_key_text() -> str:
    """Return a fresh 32-byte key in the encoding the environment and the key file use."""
    return _b64(secrets.token_bytes(32))


def _from_environment(data: str, lookup: str) -> KeyRing:
    if not lookup:
        raise DataKeyError(
            "设置了 GONGKAI_DATA_KEY 时也须设置 GONGKAI_LOOKUP_KEY / GONGKAI_LOOKUP_KEY is "
            "required with GONGKAI_DATA_KEY"
        )
    keys: dict[int, bytes] = {}
    for number, entry in enumerate(e for e in data.split(",") if e.strip()):
        ident, sep, text = entry.strip().partition(":")
        if not sep:
            ident, text = "1", ident
            if number:
                raise DataKeyError(
                    "GONGKAI_DATA_KEY 有多个密钥时每个须写成 ID:KEY / with several keys in "
                    "GONGKAI_DATA_KEY, write each as ID:KEY"
                )
        if not ident.isdigit() or int(ident) < 1:
            raise DataKeyError(f"GONGKAI_DATA_KEY 的密钥编号 {ident!r} 无效 / bad key id {ident!r}")
        keys[int(ident)] = _unb64(text, f"GONGKAI_DATA_KEY 第 {ident} 号")
    if not keys:
        raise DataKeyError("GONGKAI_DATA_KEY 为空 / GONGKAI_DATA_KEY is empty")
    return KeyRing(keys, _unb64(lookup, "GONGKAI_LOOKUP_KEY"), "environment")


def _write_new(path: Path, content: dict, *, replace: bool) -> None:
    """Write ``content`` to ``path`` with mode 0600 atomically (never half a file)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".data_keys-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(content, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        if replace:
            os.replace(tmp, path)
        else:
            # Fails if another process made the file first: theirs is kept.
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _read_file(path: Path) -> KeyRing:
    if not path.exists():
        _write_new(
            path,
            {
                "format": 1,
                "lookup_key": new_key_text(),
                "keys": [{"id": 1, "key": new_key_text(), "created_at": _now()}],
            },
            replace=False,
        )
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
        keys = {int(k["id"]): _unb64(k["key"], f"{path} key {k['id']}") for k in content["keys"]}
        lookup = _unb64(content["lookup_key"], f"{path} lookup_key")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataKeyError(
            f"密钥文件 {path} 无法读取 / the key file {path} is unreadable: {error}"
        ) from None
    if not keys:
        raise DataKeyError(f"密钥文件 {path} 中没有密钥 / the key file {path} holds no key")
    return KeyRing(keys, lookup, str(path))


_lock = threading.Lock()
_cache: dict[str, tuple[object, KeyRing]] = {}


def _data_dir() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR)


def key_ring() -> KeyRing:
    """Return the installation's key ring (re-read when the key file changes on disk)."""
    data = os.environ.get("GONGKAI_DATA_KEY", "").strip()
    lookup = os.environ.get("GONGKAI_LOOKUP_KEY", "").strip()
    if data:
        stamp: object = (data, lookup)
        origin = "env"
    else:
        path = _data_dir() / KEY_FILE
        origin = str(path)
        try:
            st = path.stat()
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        except FileNotFoundError:
            stamp = None
    with _lock:
        cached = _cache.get(origin)
        if cached and stamp is not None and cached[0] == stamp:
            return cached[1]
        if data:
            ring = _from_environment(data, lookup)
        else:
            path = _data_dir() / KEY_FILE
            ring = _read_file(path)
            st = path.stat()
            stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
        _cache[origin] = (stamp, ring)
        return ring


def add_key() -> int:
    """Add a new key to the key file and make it current; return its id.

    Refused when the keys come from the environment: there the operator adds ``ID:KEY``.
    """
    if os.environ.get("GONGKAI_DATA_KEY", "").strip():
        raise DataKeyError(
            "密钥来自环境变量 GONGKAI_DATA_KEY：请在其中加入新的 ID:KEY（ID 更大）后再轮换 / the "
            "keys come from GONGKAI_DATA_KEY: add a new ID:KEY with a higher id there, then rotate"
        )
    ring = key_ring()
    path = Path(ring.source)
    content = json.loads(path.read_text(encoding="utf-8"))
    new_id = ring.current_id + 1
    content["keys"].append({"id": new_id, "key": new_key_text(), "created_at": _now()})
    _write_new(path, content, replace=True)
    return new_id


def encrypt(plain: str, *, context: str, ring: KeyRing | None = None) -> str:
    """Return ``plain`` encrypted under the current key, bound to ``context`` (the column)."""
    ring = ring or key_ring()
    ident = ring.current_id
    nonce = secrets.token_bytes(_NONCE)
    sealed = AESGCM(ring.keys[ident]).encrypt(nonce, plain.encode("utf-8"), context.encode())
    return f"{PREFIX}:{ident}:{_b64(nonce + sealed)}"


def key_id_of(stored: str) -> int | None:
    """Return the key id a stored value is encrypted under, or None if it is not a ciphertext."""
    parts = stored.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1].isdigit():
        return None
    return int(parts[1])


def decrypt(stored: str, *, context: str, ring: KeyRing | None = None) -> str:
    """Return the plaintext of a value :func:`encrypt` made; raise :class:`DataKeyError` otherwise."""
    ident = key_id_of(stored)
    if ident is None:
        raise DataKeyError(
            f"{context} 中的值不是密文（未迁移的明文？请运行 gongkai manage migrate） / a value "
            f"of {context} is not encrypted (run gongkai manage migrate)"
        )
    ring = ring or key_ring()
    key = ring.keys.get(ident)
    if key is None:
        raise DataKeyError(
            f"{context} 的值用第 {ident} 号密钥加密，但密钥环中没有它 / a value of {context} "
            f"needs key {ident}, which is not in the key ring ({ring.source})"
        )
    raw = base64.urlsafe_b64decode(stored.split(":", 2)[2].encode("ascii"))
    try:
        plain = AESGCM(key).decrypt(raw[:_NONCE], raw[_NONCE:], context.encode())
    except InvalidTag:
        raise DataKeyError(
            f"{context} 的值无法用第 {ident} 号密钥解密（密钥错误或数据被改动） / a value of "
            f"{context} does not open with key {ident} (a wrong key, or the value was altered)"
        ) from None
    return plain.decode("utf-8")


def normalise_for_lookup(value: str) -> str:
    """Fold a value before hashing: NFKC (full-width digits), no spaces, upper case (x -> X)."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def lookup_hash(value: str, *, purpose: str, ring: KeyRing | None = None) -> str:
    """Return the keyed hash (HMAC-SHA256, hex) of ``value`` for equality look-ups ("" for "")."""
    folded = normalise_for_lookup(value or "")
    if not folded:
        return ""
    ring = ring or key_ring()
    message = f"{purpose}\x00{folded}".encode()
    return hmac.new(ring.lookup_key, message, hashlib.sha256).hexdigest()
