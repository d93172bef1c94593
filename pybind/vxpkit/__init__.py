"""vxpkit — the conformance suite and simulator of the national document interconnection hub
(Trục liên thông văn bản quốc gia; edXML, QCVN 102:2016), as a Python library.

    import vxpkit
    judgement = vxpkit.validate(open("package.xml", "rb").read())
    with vxpkit.Hub() as hub:
        hub.add_system("my-system", "my-secret", ["000.00.00.H53"])
        ...                                  # point your system at hub.adapter_url
    result = vxpkit.run({"system": {...}, ...}, only=["INBOUND-*"])

Library errors raise VxpkitError (its `.code` names the kind, its message is the library's);
a system's non-conformance is never an exception: it is Finding objects and verdicts.
docs/python.md is the guide; the pytest plugin is vxpkit.pytest_plugin.
"""
import json as _json
import os as _os

from . import _vxpkit
from ._vxpkit import (
    Finding,
    Judgement,
    LifecycleTracker,
    Package,
    RunResult,
    VxpkitError,
    __version__,
    catalogue,
    make_test_pdf,
    parse,
    profiles,
    sample_business,
    sample_document,
    sample_status,
    sign,
    sign_pdf,
    test_credential,
    validate,
    verify,
)

__all__ = [
    "Finding", "Hub", "Judgement", "LifecycleTracker", "MockAgency", "Package", "RunResult",
    "VxpkitError", "__version__", "catalogue", "check_sut", "demo", "make_test_pdf", "parse",
    "profiles", "read_expected_failures", "run", "sample_business", "sample_document", "sample_status", "sign", "sign_pdf",
    "test_credential", "validate", "verify",
]


class _StartStop:
    """``with x:`` starts x and stops it at the end."""

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


class Hub(_StartStop, _vxpkit.Hub):
    """The hub's real HTTP API in this process (SQLite in memory), on loopback.

    A context manager: ``with Hub() as hub:`` starts it on a free port (port=0) and stops it.
    ``systems`` registers systems at once: ``{"my-system": ("secret", ["000.00.00.H53"])}``.
    """

    def __init__(self, host="127.0.0.1", port=0, systems=None):
        super().__init__(host, port)
        for system_id, (secret, agencies) in (systems or {}).items():
            self.add_system(system_id, secret, list(agencies))

    @property
    def adapter_url(self):
        """Where a client (the VNPT SDK) points: ``<url>/XrdAdapter/adapter``."""
        return self.url + "/XrdAdapter/adapter" if self.url else ""


class MockAgency(_StartStop, _vxpkit.MockAgency):
    """A mock agency polling a hub: the reference behaviour or one of its fault profiles
    (``vxpkit.profiles()``), with its test-driver API at ``driver_url``.

    ``hub`` is a Hub or a hub URL; the system must be registered on that hub. A context manager.
    """

    def __init__(self, hub, system_id, secret, agency_id, profile="reference", poll_ms=25,
                 progress=True):
        url = hub.url if isinstance(hub, _vxpkit.Hub) else str(hub)
        if not url:
            raise VxpkitError("the hub is not started")
        super().__init__(url, system_id, secret, agency_id, profile, poll_ms, progress)


def _sut_json(sut):
    if isinstance(sut, dict):
        return _json.dumps(sut)
    if isinstance(sut, _os.PathLike) or (isinstance(sut, str) and not sut.lstrip().startswith("{")):
        with open(sut, encoding="utf-8") as f:
            return f.read()
    return sut


def run(sut, *, only=(), categories=(), profile="certification", seed=1, strict=False,
        expected_failures=None, progress=None):
    """Runs the conformance catalogue against your system and returns its RunResult.

    ``sut`` is the SUT file's content as a dict, its JSON text, or its path
    (docs/vendor-guide.md). ``only``: scenario ID globs; ``categories``: category names;
    ``expected_failures``: {scenario ID: reason}; ``progress``: called with each progress line.
    Raises VxpkitError for a configuration error (nothing ran).
    """
    sut_file = "SUT"  # in replay commands, when the SUT is not a file
    if isinstance(sut, _os.PathLike) or (isinstance(sut, str) and not sut.lstrip().startswith("{")):
        sut_file = _shell_word(_os.fspath(sut))
    return _vxpkit.run(_sut_json(sut), list(only), list(categories), profile, seed, strict,
                       dict(expected_failures or {}), progress, sut_file)


def check_sut(sut):
    """Raises VxpkitError (code ``config.sut``) naming what is wrong with a SUT file (a dict,
    its JSON text or its path), as ``run`` would before running anything."""
    _vxpkit.check_sut(_sut_json(sut))


def read_expected_failures(path):
    """An expected-failures file (one scenario ID per line, optional reason; docs/vendor-guide.md)
    as {scenario ID: reason}. Raises VxpkitError (``config.expected``) naming a bad line."""
    with open(path, encoding="utf-8") as f:
        return _vxpkit.parse_expected_failures(f.read())


def _shell_word(text):
    return text if all(c not in text for c in " '\"$") else "'" + text + "'"


def demo(fault="reference", *, only=(), categories=(), seed=1, strict=False,
         expected_failures=None, progress=None):
    """Runs the catalogue against the built-in reference agency, or one of its fault profiles."""
    return _vxpkit.demo(fault, list(only), list(categories), seed, strict,
                        dict(expected_failures or {}), progress)
