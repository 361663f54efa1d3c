"""Render an HTML batch report and check it in headless chromium; save a screenshot.

    .venv/bin/python scripts/html_browser_check.py [--out docs/report-screenshot.png] [PATH...]

With PATHs (documents), checks them with the pipeline; always adds the hand-made results of
tests/test_report_html.py (including a document that contains ``<script>``). Prints what it checked;
exits 1 when a check fails, 77 when chromium is absent (apt-get install chromium).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--out", default=str(ROOT / "docs" / "report-screenshot.png"))
    args = ap.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        print("chromium not found: apt-get install chromium", file=sys.stderr)
        return 77
    from normcheck.report.html import write_html
    from tests.test_report_html import sample_results

    results: list[object] = []
    if args.paths:
        from normcheck.pipeline import check

        results += [check(p) for p in args.paths]
    results += sample_results()
    tmp = Path(tempfile.mkdtemp())
    page = tmp / "report.html"
    write_html(results, page)  # type: ignore[arg-type]
    base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--virtual-time-budget=3000", "--hide-scrollbars"]

    def dom(fragment: str = "") -> str:
        return subprocess.run([*base, "--dump-dom", page.as_uri() + fragment], capture_output=True, text=True,
                              timeout=60, check=True).stdout

    failures = []
    body = re.search(r"<body[^>]*>", dom())
    tag = body.group(0) if body else ""
    if 'data-ready="1"' not in tag:
        failures.append("page script did not run")
    if "data-pwned" in tag:
        failures.append("a <script> from a document ran")
    shown = int(re.search(r'data-shown="(\d+)"', tag).group(1)) if 'data-shown="' in tag else -1
    tag2 = re.search(r"<body[^>]*>", dom("#click=f-penalty_setting"))
    shown2 = int(re.search(r'data-shown="(\d+)"', tag2.group(0)).group(1)) if tag2 else -1
    if not 0 <= shown2 < shown:
        failures.append(f"filter did not hide penalty_setting findings ({shown} -> {shown2})")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([*base, "--window-size=1400,1000", f"--screenshot={out}", page.as_uri()],
                   capture_output=True, timeout=60, check=True)
    print(f"page: {page}\nfindings shown: {shown}; after unticking penalty_setting: {shown2}\n"
          f"screenshot: {out}\n" + ("FAILED: " + "; ".join(failures) if failures else "all checks passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
