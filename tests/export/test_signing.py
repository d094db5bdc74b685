"""Signed WACZ exports (WACZ Signing and Verification 0.1.0).

The anonymous signature is checked the way ReplayWeb.page checks it
(wabac.js ``verifyWACZSignature``: P-384 SPKI key, SHA-256, WebCrypto's
``r || s`` signature over the hash string), re-implemented here with
``cryptography`` alone; the package as a whole by py-wacz's validator.
"""

from __future__ import annotations

import base64
import hashlib
import json
import stat
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from tests.export.conftest import Archive
from tests.helpers import cli_ok, run_cli


def wacz_tool(*args: str) -> subprocess.CompletedProcess[str]:
    tool = Path(sys.executable).parent / "wacz"
    return subprocess.run([str(tool), *args], capture_output=True, text=True)


def digest_file(path: Path) -> tuple[dict[str, Any], bytes]:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("datapackage-digest.json")), zf.read("datapackage.json")


def verify_anonymous(signed: dict[str, Any]) -> None:
    """Raises InvalidSignature unless ``signature`` signs ``hash`` with ``publicKey``."""
    key = serialization.load_der_public_key(base64.b64decode(signed["publicKey"]))
    assert isinstance(key, ec.EllipticCurvePublicKey)
    assert key.curve.name == "secp384r1"  # the only curve ReplayWeb.page imports
    raw = base64.b64decode(signed["signature"])
    assert len(raw) == 96  # WebCrypto's form, not DER
    r, s = int.from_bytes(raw[:48], "big"), int.from_bytes(raw[48:], "big")
    key.verify(encode_dss_signature(r, s), signed["hash"].encode(), ec.ECDSA(hashes.SHA256()))


def rewrite(src: Path, dest: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, change.get(info.filename, zin.read(info.filename)))


@pytest.fixture
def env(archive: Archive, tmp_path: Path) -> dict[str, str]:
    """The archive's settings with a signing key of this test's own."""
    return {**archive.env, "CITEVAULT_SIGNING__KEY_PATH": str(tmp_path / "keys" / "sign.pem")}


def test_anonymous_signature_verifies_and_tampering_is_caught(
    env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "notes.wacz"
    cli_ok(env, "export", "notes", "-o", str(out))
    key_file = tmp_path / "keys" / "sign.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    digest, package = digest_file(out)
    signed = digest["signedData"]
    assert digest["hash"] == "sha256:" + hashlib.sha256(package).hexdigest()
    assert signed["hash"] == digest["hash"]
    assert signed["created"] == json.loads(package)["created"]
    assert signed["version"] == "0.1.0"
    verify_anonymous(signed)
    # the command that publishes the key prints the key the package carries
    shown = cli_ok(env, "keys", "signing").stdout.strip()
    assert shown == signed["publicKey"]
    pem = cli_ok(env, "keys", "signing", "--pem").stdout
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    # the stock validator accepts the signed package (it checks the digest and created)
    ok = wacz_tool("validate", "-f", str(out))
    assert ok.returncode == 0 and "Validation succeeded" in ok.stdout, ok.stdout + ok.stderr
    assert "Has signature" in ok.stdout

    # a second export signs with the same key
    again = tmp_path / "again.wacz"
    cli_ok(env, "export", "notes", "-o", str(again))
    assert digest_file(again)[0]["signedData"]["publicKey"] == signed["publicKey"]

    # tampered contents: the digest no longer matches
    edited = json.loads(package)
    edited["title"] = "Something else"
    new_package = json.dumps(edited).encode()
    bad = tmp_path / "tampered.wacz"
    rewrite(out, bad, {"datapackage.json": new_package})
    res = wacz_tool("validate", "-f", str(bad))
    assert res.returncode != 0, res.stdout
    # and a forger who also rewrites the digest cannot make the signature fit
    forged_hash = "sha256:" + hashlib.sha256(new_package).hexdigest()
    forged = {**digest, "hash": forged_hash, "signedData": {**signed, "hash": forged_hash}}
    rewrite(
        out,
        bad,
        {"datapackage.json": new_package, "datapackage-digest.json": json.dumps(forged).encode()},
    )
    with pytest.raises(InvalidSignature):
        verify_anonymous(forged["signedData"])
    # a signature copied from another package fails too
    with pytest.raises(InvalidSignature):
        verify_anonymous({**signed, "hash": "sha256:" + "0" * 64})


def test_signing_off_and_a_wrong_key(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "plain.wacz"
    cli_ok({**env, "CITEVAULT_SIGNING__MODE": "off"}, "export", "notes", "-o", str(out))
    assert "signedData" not in digest_file(out)[0]
    rsa_like = tmp_path / "p256.pem"
    rsa_like.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    bad = run_cli(
        "export",
        "notes",
        "-o",
        str(tmp_path / "x.wacz"),
        env={**env, "CITEVAULT_SIGNING__KEY_PATH": str(rsa_like)},
    )
    assert bad.returncode == 2, bad.stdout + bad.stderr
    assert "P-384" in bad.stderr
    assert not (tmp_path / "x.wacz").exists()


class _Authsign:
    """An authsign /sign endpoint on loopback: it records what it was sent and answers
    as authsign does.  (A real authsign needs a Let's Encrypt certificate and a
    public timestamp authority, neither of which a test can reach.)"""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.requests: list[tuple[str, dict[str, Any]]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                owner.requests.append((self.headers.get("Authorization", ""), body))
                if owner.status != 200:
                    payload = b'{"detail": "invalid auth token"}'
                else:
                    payload = json.dumps(
                        {
                            **body,
                            "version": "0.1.0",
                            "software": "authsign 0.6.1",
                            "signature": "c2ln",
                            "domain": "signer.test",
                            "domainCert": "-----BEGIN CERTIFICATE-----\n...",
                            "timeSignature": "dHM=",
                            "timestampCert": "-----BEGIN CERTIFICATE-----\n...",
                        }
                    ).encode()
                self.send_response(owner.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sign"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _Authsign:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def authsign() -> Iterator[_Authsign]:
    with _Authsign() as server:
        yield server


def test_authsign_server_signs_the_digest(
    env: dict[str, str], tmp_path: Path, authsign: _Authsign
) -> None:
    signing = {
        **env,
        "CITEVAULT_SIGNING__MODE": "authsign",
        "CITEVAULT_SIGNING__AUTHSIGN_URL": authsign.url,
        "CITEVAULT_SIGNING__AUTHSIGN_TOKEN": "s3cret",
    }
    out = tmp_path / "signed.wacz"
    cli_ok(signing, "export", "notes", "-o", str(out))
    digest, package = digest_file(out)
    assert len(authsign.requests) == 1
    auth, body = authsign.requests[0]
    assert auth == "bearer s3cret"
    assert body == {"hash": digest["hash"], "created": json.loads(package)["created"]}
    assert digest["signedData"]["domain"] == "signer.test"
    assert digest["signedData"]["hash"] == digest["hash"]
    assert not (tmp_path / "keys").exists()  # no anonymous key was made
    ok = wacz_tool("validate", "-f", str(out))
    assert ok.returncode == 0 and "Has signature" in ok.stdout, ok.stdout + ok.stderr

    authsign.status = 401
    refused = tmp_path / "refused.wacz"
    res = run_cli("export", "notes", "-o", str(refused), env=signing)
    assert res.returncode == 1, res.stdout + res.stderr
    assert "answered 401" in res.stderr and "invalid auth token" in res.stderr
    assert not refused.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".wacz-")]
