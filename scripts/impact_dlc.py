"""Run the change-impact analysis (issue 16) on the DLC regulations for changes that really happened
in the corpus, print counts per region, and write each campaign's CSV/HTML under ``--out`` (not the
repository: suggestions quote law and regulation text).

    NORMCHECK_HOME=/tmp/nchome nice python scripts/impact_dlc.py --out /tmp/impact_dlc
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from normcheck.impact import impact
from normcheck.impact.report import write_report

CAMPAIGNS = [
    ("立法法", "2015-03-15", "2023-03-13"),
    ("行政复议法", "2017-09-01", "2023-09-01"),
    ("民法典", None, None),  # the civil laws it repealed on 2021-01-01
    ("国防教育法", "2018-04-27", "2024-09-13"),
    ("行政处罚法", None, None),  # one version in the corpus: reported as nothing to compare
    ("各级人民代表大会常务委员会监督法", "2006-08-27", "2024-11-08"),
    ("野生动物保护法", "2018-10-26", "2022-12-30"),
    ("反间谍法", "2014-11-01", "2023-04-26"),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", default="/work/shared/corpora/lawrefbook/DLC")
    ap.add_argument("--out", type=Path, default=Path("/tmp/impact_dlc"))
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    table: dict[str, object] = {}
    for law, frm, to in CAMPAIGNS:
        try:
            rep = impact(law, [a.root], from_=frm, to=to)
        except ValueError as exc:
            table[law] = {"error": str(exc)}
            continue
        for fmt in ("csv", "html", "jsonl"):
            with (a.out / f"{law}.{fmt}").open("w", encoding="utf-8", newline="" if fmt == "csv" else None) as fh:
                write_report(rep, fh, fmt)
        s = rep.summary()
        table[law] = {k: s[k] for k in ("affected_documents", "affected_clauses", "by_kind", "by_region")}
        table[law]["changes"] = [f"{c['law']} {c['from']}→{c['to'] or c['kind']}" for c in s["changes"]]  # type: ignore[index]
    print(json.dumps(table, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
