"""Signatures end to end: `vxpkit sign|verify|vectors` and independent cross-checks of the vector
corpus with the xmlsec1 command and `openssl cms -verify` (Debian packages xmlsec1, openssl)."""
import json
import os
import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
VXPKIT = os.environ.get("VXPKIT", str(ROOT / "build" / "bin" / "vxpkit"))
SIGS = ROOT / "vectors" / "signatures"
KEYS = ROOT / "vectors" / "keys"
AT = "2026-11-20T10:00:00Z"
AT_EPOCH = "1795168800"  # the same instant


def run(*args, **kw):
    return subprocess.run([VXPKIT, *args], capture_output=True, text=True, timeout=120, **kw)


def expect(name):
    stem = name.rsplit(".", 1)[0]
    return json.loads((SIGS / f"{stem}.expect.json").read_text())


def vectors(prefix, ext):
    return sorted(p.name for p in SIGS.glob(f"{prefix}*{ext}"))


# ---- vxpkit verify over the corpus (what a vendor would run).

def test_verify_json_matches_every_expectation():
    files = [str(p) for p in sorted(SIGS.iterdir()) if p.suffix in (".xml", ".pdf")]
    r = run("verify", "--at", AT, "--json", *files)
    assert r.returncode == 1  # the corpus holds failing vectors
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(lines) == len(files)
    for got in lines:
        want = expect(pathlib.Path(got["file"]).name)
        assert got["verdict"] == want["verdict"], got["file"]
        assert sorted({f["rule_id"] for f in got["findings"]}) == want["rule_ids"], got["file"]


def test_verify_exit_codes_and_human_output():
    ok = run("verify", "--at", AT, str(SIGS / "pdf-valid.pdf"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "pdf — PASS (signed by" in ok.stdout and "000.00.00.G22" in ok.stdout
    bad = run("verify", "--at", AT, str(SIGS / "env-revoked.xml"))
    assert bad.returncode == 1
    assert "FAIL DSIG-ENV-CERT-REVOKED [MUST]" in bad.stdout
    assert "revoked on 2026-01-01" in bad.stdout
    usage = run("verify", "--at", "yesterday", str(SIGS / "pdf-valid.pdf"))
    assert usage.returncode == 2 and "2026-11-20T10:00:00Z" in usage.stderr


def test_verify_with_explicit_trust_dir_and_crl(tmp_path):
    trust = tmp_path / "trust"
    trust.mkdir()
    shutil.copy(KEYS / "root-ca.crt", trust)
    shutil.copy(KEYS / "intermediate-ca.crt", trust)
    # No CRL: revocation cannot be checked, which is a warning, not a pass.
    r = run("verify", "--trust", str(trust), "--at", AT, str(SIGS / "env-valid.xml"))
    assert r.returncode == 0 and "WARN DSIG-ENV-REVOCATION-UNCHECKED" in r.stdout
    r = run("verify", "--trust", str(trust), "--crl", str(KEYS / "intermediate-ca.crl"),
            "--crl", str(KEYS / "root-ca.crl"), "--at", AT, str(SIGS / "env-revoked.xml"))
    assert r.returncode == 1 and "DSIG-ENV-CERT-REVOKED" in r.stdout
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(KEYS / "untrusted-root-ca.crt", other)
    r = run("verify", "--trust", str(other), "--at", AT, str(SIGS / "env-valid.xml"))
    assert r.returncode == 1 and "DSIG-ENV-CERT-CHAIN" in r.stdout


def test_validate_includes_signature_findings():
    r = run("validate", "--today", "2026/11/21", "--at", AT, "--json",
            str(SIGS / "package-tampered-pdf.xml"), str(SIGS / "env-wrapping.xml"))
    assert r.returncode == 1
    tampered, wrapping = [json.loads(line) for line in r.stdout.splitlines()]
    assert [f["rule_id"] for f in tampered["findings"]] == ["DSIG-PDF-DIGEST"]
    assert {f["rule_id"] for f in wrapping["findings"]} >= {"DSIG-ENV-SCOPE", "DSIG-ENV-WRAPPED"}


# ---- vxpkit sign, then verify, then an independent verifier.

def test_sign_envelope_round_trip(tmp_path):
    package = tmp_path / "p.xml"
    package.write_bytes(run("sample", "document").stdout.encode())
    out = tmp_path / "signed.xml"
    r = run("sign", "--key", str(KEYS / "agency-h53.key"), "--cert", str(KEYS / "agency-h53.crt"),
            "--chain", str(KEYS / "intermediate-ca.crt"), str(package), str(out))
    assert r.returncode == 0, r.stderr
    v = run("verify", "--allow-unsigned-pdf", "--at", AT, "--json", str(out))
    got = json.loads(v.stdout)
    assert v.returncode == 0 and got["verdict"] == "PASS", v.stdout
    assert "000.00.00.H53" in got["signers"][0]
    x = xmlsec_verify(out)
    assert x.returncode == 0, x.stderr


def test_sign_pdf_round_trip_and_qpdf_accepts_it(tmp_path):
    pdf = SIGS / "pdf-signature-removed.pdf"  # an unsigned PDF
    out = tmp_path / "signed.pdf"
    r = run("sign", "--pdf", "--signing-time", AT, "--key", str(KEYS / "agency-g22.key"),
            "--cert", str(KEYS / "agency-g22.crt"), "--chain", str(KEYS / "intermediate-ca.crt"),
            str(pdf), str(out))
    assert r.returncode == 0, r.stderr
    v = run("verify", "--at", AT, str(out))
    assert v.returncode == 0, v.stdout
    assert cms_verify(out).returncode == 0
    check = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_sign_refuses_mismatched_key(tmp_path):
    out = tmp_path / "x.xml"
    r = run("sign", "--key", str(KEYS / "agency-g22.key"), "--cert", str(KEYS / "agency-h53.crt"),
            str(SIGS / "env-signature-removed.xml"), str(out))
    assert r.returncode == 2
    assert "does not belong to the certificate" in r.stderr
    assert not out.exists()


def test_vectors_command_regenerates_identical_corpus(tmp_path):
    r = run("vectors", "--keys", str(KEYS), "--out", str(tmp_path))
    assert r.returncode == 0, r.stderr
    produced = sorted(p.name for p in tmp_path.iterdir())
    assert produced == sorted(p.name for p in SIGS.iterdir())
    for name in produced:
        assert (tmp_path / name).read_bytes() == (SIGS / name).read_bytes(), name


# ---- Independent cross-checks.

def xmlsec_verify(path):
    env = dict(os.environ, TZ="UTC")  # --verification-time is local time
    return subprocess.run(
        ["xmlsec1", "--verify", "--trusted-pem", str(KEYS / "root-ca.crt"),
         "--untrusted-pem", str(KEYS / "intermediate-ca.crt"),
         "--enabled-reference-uris", "empty", "--verification-time", "2026-11-20 10:00:00",
         str(path)], capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.parametrize("name", ["env-valid.xml", "env-valid-c14n10.xml", "env-sha1.xml"])
def test_xmlsec1_accepts_valid_envelopes(name):
    r = xmlsec_verify(SIGS / name)
    assert r.returncode == 0 and r.stderr.startswith("OK"), r.stderr


# xmlsec1 1.2.37 has no CRL option for --verify, so revocation is vxpkit's word alone; it does
# not check key usage or key size either.
# Each refused for its own reason, as xmlsec1 (OpenSSL) words it: a wrong reason would mean the
# vector does not carry the defect its name says.
@pytest.mark.parametrize("name,reason", [
    ("env-content-changed.xml", "data and digest do not match"),
    ("env-signature-value-altered.xml", "EVP_VerifyFinal: signature verification failed"),
    ("env-wrong-certificate.xml", "EVP_VerifyFinal: signature verification failed"),
    ("env-expired.xml", "msg=certificate has expired"),
    ("env-not-yet-valid.xml", "msg=certificate is not yet valid"),
    ("env-untrusted-root.xml", "msg=unable to get local issuer certificate"),
    ("env-self-signed.xml", "msg=self-signed certificate")])
def test_xmlsec1_rejects_tampered_envelopes(name, reason):
    r = xmlsec_verify(SIGS / name)
    assert r.returncode != 0, name
    assert reason in r.stderr, r.stderr


def cms_parts(pdf_bytes):
    """The signed bytes and the DER CMS of the last signature, read independently of vxpkit."""
    m = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf_bytes))[-1]
    a, b, c, d = map(int, m.groups())
    signed = pdf_bytes[a:a + b] + pdf_bytes[c:c + d]
    hex_text = pdf_bytes[a + b + 1:c - 1].rstrip(b"0")
    if len(hex_text) % 2:
        hex_text += b"0"
    return signed, bytes.fromhex(hex_text.decode())


def cms_verify(path, tmp=None):
    tmp = pathlib.Path(tmp or path.parent)
    signed, der = cms_parts(path.read_bytes())
    data, sig, ca = tmp / (path.name + ".data"), tmp / (path.name + ".p7s"), tmp / "ca-and-crls.pem"
    data.write_bytes(signed)
    sig.write_bytes(der)
    ca.write_bytes((KEYS / "root-ca.crt").read_bytes() + (KEYS / "root-ca.crl").read_bytes()
                   + (KEYS / "intermediate-ca.crl").read_bytes())
    return subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(sig),
         "-content", str(data), "-CAfile", str(ca), "-certfile", str(KEYS / "intermediate-ca.crt"),
         "-crl_check", "-attime", AT_EPOCH, "-out", os.devnull],
        capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("name", ["pdf-valid.pdf", "pdf-sha1.pdf"])
def test_openssl_cms_accepts_valid_pdf_signatures(name, tmp_path):
    shutil.copy(SIGS / name, tmp_path)
    r = cms_verify(tmp_path / name)
    assert r.returncode == 0, r.stderr


# Each refused for its own reason, as OpenSSL words it (not because the command line was wrong).
@pytest.mark.parametrize("name,reason", [
    ("pdf-content-changed.pdf", "CMS_verify:content verify error"),
    ("pdf-signature-value-altered.pdf", "CMS_SignerInfo_verify:verification failure"),
    ("pdf-wrong-certificate.pdf", "signer certificate not found"),
    ("pdf-expired.pdf", "Verify error: certificate has expired"),
    ("pdf-not-yet-valid.pdf", "Verify error: certificate is not yet valid"),
    ("pdf-revoked.pdf", "Verify error: certificate revoked"),
    ("pdf-untrusted-root.pdf", "Verify error: unable to get local issuer certificate"),
    ("pdf-self-signed.pdf", "Verify error: self-signed certificate"),
    ("pdf-wrong-key-usage.pdf", "Verify error: unsuitable certificate purpose")])
def test_openssl_cms_rejects_defective_pdf_signatures(name, reason, tmp_path):
    shutil.copy(SIGS / name, tmp_path)
    r = cms_verify(tmp_path / name)
    assert r.returncode != 0, name
    assert reason in r.stderr, r.stderr


def test_qpdf_reads_every_signed_pdf_vector():
    for name in vectors("pdf-", ".pdf"):
        if name in ("pdf-truncated.pdf",):
            continue  # cut short on purpose
        r = subprocess.run(["qpdf", "--check", str(SIGS / name)], capture_output=True, text=True)
        assert r.returncode in (0, 3), name + r.stdout + r.stderr  # 3 = warnings only
