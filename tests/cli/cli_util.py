"""What the CLI end-to-end tests share: the binary under test, running it, and reading a
result directory validated against docs/result-schema.json."""
import json
import os
import pathlib
import subprocess

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parents[2]
VXPKIT = os.environ.get("VXPKIT", str(ROOT / "build" / "bin" / "vxpkit"))
SCHEMA = json.loads((ROOT / "docs" / "result-schema.json").read_text())


def run(*args, timeout=180):
    return subprocess.run([VXPKIT, *args], capture_output=True, text=True, timeout=timeout)


def result_of(out):
    doc = json.loads((out / "result.json").read_text())
    jsonschema.validate(doc, SCHEMA)
    return doc
