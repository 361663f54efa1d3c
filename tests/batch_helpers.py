"""Fake check functions for batch tests (importable by worker processes)."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import Any

from normcheck.types.findings import DocumentInfo, Evidence, Finding, FindingType, Result, Severity


def fake_check(path: str, *, kind: str | None = None, as_of: str | None = None, region: str | None = None,
               corpus: Any = None) -> Result:
    """A stand-in for pipeline.check: one finding per 罚款 in the text; BOOM raises; sleeps when asked."""
    data = Path(path).read_bytes()
    text = data.decode("utf-8")
    delay = float(os.environ.get("NC_FAKE_SLEEP", "0"))
    if delay:
        time.sleep(delay)
    calls = os.environ.get("NC_FAKE_CALLS")
    if calls:
        with open(calls, "a", encoding="utf-8") as fh:
            fh.write(path + "\n")
    if "BOOM" in text:
        raise RuntimeError("boom")
    info = DocumentInfo(path=path, title=text.splitlines()[0] if text else "", kind=kind or "municipal_rule",
                        kind_inferred=kind is None, as_of=as_of or "2026-11-28", region=region,
                        sha256=hashlib.sha256(data).hexdigest())
    findings = []
    start = text.find("罚款")
    while start >= 0:
        findings.append(Finding(FindingType.PENALTY_SETTING, "第一条", start, start + 2, Severity.HIGH, 0.8,
                                "设定了罚款", "行政处罚法第十四条",
                                [Evidence("某法", "2021-01-22", "第十四条", "虚构的上位条文")]))
        start = text.find("罚款", start + 1)
    return Result(document=info, findings=findings, priority=0.8 if findings else 0.1)
