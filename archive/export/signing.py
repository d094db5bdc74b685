"""Signing a WACZ's ``datapackage-digest.json`` (WACZ Signing and Verification 0.1.0).

Two ways, as the specification has them:

* anonymous: an ECDSA key this deployment keeps signs the hash of
  ``datapackage.json``; the package carries the public key.  The form is
  what ReplayWeb.page checks (wabac.js ``src/wacz/certutils.ts``): a P-384
  key as base64 SubjectPublicKeyInfo, and a SHA-256 ECDSA signature over the
  ``"sha256:…"`` hash string as WebCrypto writes it (``r || s``, not DER).
* authsign: the hash and creation time are POSTed to an authsign server as
  py-wacz does (``{"hash", "created"}``, optional bearer token); its answer
  (a domain-certificate signature with an RFC 3161 timestamp) is kept whole.

Whichever way, ``created`` in the signature must equal the package's
``created``: py-wacz's validator refuses a package where they differ.
"""

from __future__ import annotations

import base64
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from archive import __version__
from archive.errors import ConfigError, ExportSigningError
from archive.settings import Settings

SPEC_VERSION = "0.1.0"
SOFTWARE = f"citevault {__version__}"
_CURVE = ec.SECP384R1()
_COORD_BYTES = 48  # P-384


class Signer(Protocol):
    def sign(self, digest: str, created: str) -> dict[str, Any]:
        """The ``signedData`` for ``digest`` (``"sha256:…"``) made at ``created``."""
        ...


def key_path(settings: Settings) -> Path:
    return settings.signing.key_path or settings.data_dir / "keys" / "wacz-signing.pem"


def _create_key(path: Path) -> ec.EllipticCurvePrivateKey:
    key = ec.generate_private_key(_CURVE)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Written whole under a temporary name, then linked into place: two processes
    # creating the key at once keep one of them (the loser's link fails with
    # FileExistsError), and no reader ever sees half a file.
    fd, tmp = tempfile.mkstemp(prefix=".wacz-signing-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp's mode is 0600
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)
    finally:
        Path(tmp).unlink()
    return key


def load_key(path: Path, *, create: bool) -> ec.EllipticCurvePrivateKey:
    """The deployment's signing key, created (mode 0600) when missing and ``create``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if not create:
            raise ConfigError(
                f"no WACZ signing key at {path}",
                hint="it is created by the first signed export, or by `citevault keys signing`",
            ) from None
        try:
            return _create_key(path)
        except FileExistsError:
            data = path.read_bytes()
        except OSError as exc:
            raise ConfigError(
                f"cannot create the WACZ signing key at {path}: {exc.strerror}",
                hint="make the folder writable, or set signing.key_path",
            ) from None
    except OSError as exc:
        raise ConfigError(f"cannot read the WACZ signing key {path}: {exc.strerror}") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise ConfigError(
            f"{path} is not an unencrypted PEM private key ({exc})",
            hint="point signing.key_path at the key citevault created, or move this file away",
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != _CURVE.name:
        raise ConfigError(
            f"{path} is not an ECDSA P-384 key",
            hint="readers (ReplayWeb.page) verify anonymous signatures with P-384 only",
        )
    return key


def public_key_b64(key: ec.EllipticCurvePrivateKey) -> str:
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(spki).decode("ascii")


def public_key_pem(key: ec.EllipticCurvePrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


@dataclass(frozen=True)
class AnonymousSigner:
    key: ec.EllipticCurvePrivateKey

    def sign(self, digest: str, created: str) -> dict[str, Any]:
        der = self.key.sign(digest.encode("ascii"), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        raw = r.to_bytes(_COORD_BYTES, "big") + s.to_bytes(_COORD_BYTES, "big")
        return {
            "hash": digest,
            "created": created,
            "software": SOFTWARE,
            "version": SPEC_VERSION,
            "signature": base64.b64encode(raw).decode("ascii"),
            "publicKey": public_key_b64(self.key),
        }


@dataclass(frozen=True)
class AuthsignSigner:
    url: str
    token: str | None
    timeout: float

    def sign(self, digest: str, created: str) -> dict[str, Any]:
        headers = {"Authorization": "bearer " + self.token} if self.token else {}
        hint = "check signing.authsign_url and signing.authsign_token, or set signing.mode"
        try:
            resp = httpx.post(
                self.url,
                json={"hash": digest, "created": created},
                headers=headers,
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise ExportSigningError(
                f"cannot reach the signing server {self.url}: {exc}", hint=hint
            ) from None
        if resp.status_code != 200:
            raise ExportSigningError(
                f"the signing server {self.url} answered {resp.status_code}: {resp.text[:500]}",
                hint=hint,
            )
        try:
            answer = resp.json()
        except ValueError:
            raise ExportSigningError(
                f"the signing server {self.url} did not answer JSON", hint=hint
            ) from None
        if not isinstance(answer, dict):
            raise ExportSigningError(f"the signing server {self.url} answered {answer!r}")
        if answer.get("hash") != digest or answer.get("created") != created:
            # py-wacz drops such an answer too: it would sign another package
            raise ExportSigningError(
                f"the signing server {self.url} signed another hash or time "
                f"({answer.get('hash')!r} at {answer.get('created')!r})",
                hint="is the URL that of an authsign /sign endpoint?",
            )
        return answer


def signer_for(settings: Settings) -> Signer | None:
    """The signer the settings ask for; anonymous creates the key on first use."""
    conf = settings.signing
    if conf.mode == "off":
        return None
    if conf.mode == "authsign":
        if not conf.authsign_url or not conf.authsign_url.startswith(("http://", "https://")):
            raise ConfigError(
                f"signing.mode is authsign but signing.authsign_url is {conf.authsign_url!r}",
                hint="set signing.authsign_url to the authsign server's /sign URL",
            )
        token = conf.authsign_token.get_secret_value() if conf.authsign_token else None
        return AuthsignSigner(conf.authsign_url, token, conf.timeout_seconds)
    return AnonymousSigner(load_key(key_path(settings), create=True))
