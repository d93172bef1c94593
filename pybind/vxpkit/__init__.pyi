"""Types of the package vxpkit (see _vxpkit.pyi for the native classes)."""
import os
from typing import Callable, Dict, Iterable, Mapping, Optional, Sequence, Tuple, Union

from ._vxpkit import (Finding, Judgement, LifecycleTracker, Package, RunResult, VxpkitError,
                      __version__, catalogue, make_test_pdf, parse, profiles, sample_business,
                      sample_document, sample_status, sign, sign_pdf, test_credential, validate,
                      verify)
from . import _vxpkit

class Hub(_vxpkit.Hub):
    adapter_url: str
    def __init__(self, host: str = "127.0.0.1", port: int = 0,
                 systems: Optional[Mapping[str, Tuple[str, Sequence[str]]]] = None) -> None: ...
    def __enter__(self) -> "Hub": ...
    def __exit__(self, *exc: object) -> bool: ...

class MockAgency(_vxpkit.MockAgency):
    def __init__(self, hub: Union[Hub, str], system_id: str, secret: str, agency_id: str,
                 profile: str = "reference", poll_ms: int = 25, progress: bool = True) -> None: ...
    def __enter__(self) -> "MockAgency": ...
    def __exit__(self, *exc: object) -> bool: ...

SutSpec = Union[dict, str, os.PathLike]

def run(sut: SutSpec, *, only: Iterable[str] = (), categories: Iterable[str] = (),
        profile: str = "certification", seed: int = 1, strict: bool = False,
        expected_failures: Optional[Dict[str, str]] = None,
        progress: Optional[Callable[[str], None]] = None) -> RunResult: ...
def check_sut(sut: SutSpec) -> None: ...
def read_expected_failures(path: Union[str, os.PathLike]) -> Dict[str, str]: ...
def demo(fault: str = "reference", *, only: Iterable[str] = (), categories: Iterable[str] = (),
         seed: int = 1, strict: bool = False, expected_failures: Optional[Dict[str, str]] = None,
         progress: Optional[Callable[[str], None]] = None) -> RunResult: ...
