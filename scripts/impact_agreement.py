"""Agreement of the impact suggestions (issue 16) with what legislatures actually changed: for every
affected clause of a DLC regulation that has a later version in the corpus dated after the superior
change took effect, read the later version and classify the suggestion:

- ``agree``: the later version cites what the tool suggested (the new citation, or the successor's title)
  and no longer the old citation;
- ``kept``: the later version still has the old citation (the legislature did not change it there);
- ``other``: the old citation is gone but the suggested text is not there (changed otherwise or removed).

    NORMCHECK_HOME=/tmp/nchome nice python scripts/impact_agreement.py /tmp/impact_dlc/*.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

_FILE = re.compile(r"^(?P<title>.+?)\((?P<date>\d{4}-\d{2}-\d{2})\)\.md$")
_QUOTED = re.compile(r"修改为“([^”]*)”")


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def main(argv: list[str]) -> int:
    counts: dict[str, int] = {}
    rows = []
    for jl in argv:
        lines = Path(jl).read_text(encoding="utf-8").splitlines()
        for line in lines:
            d = json.loads(line)
            if "summary" in d:
                continue
            p = Path(d["path"])
            m = _FILE.match(p.name)
            if not m:
                continue
            later = sorted(q for q in p.parent.glob(f"{m.group('title')}(*).md")
                           if (mm := _FILE.match(q.name)) and mm.group("date") > m.group("date"))
            for c in d["clauses"]:
                if c["kind"] == "title_only" or not c["suggestion"]:
                    continue
                eff = c["to_version"] or "2021-01-01"
                cand = [q for q in later if (_FILE.match(q.name) or m).group("date") >= eff]
                if not cand:
                    continue
                text = _norm(cand[-1].read_text(encoding="utf-8"))
                new = _QUOTED.findall(c["suggestion"])
                new_cit = _norm(new[0]) if new else ""
                old_cit = _norm(c["cited"])
                if c["kind"] == "repealed" and c["successor"]:
                    new_cit = _norm(new_cit.split("》")[0] + "》") if new_cit else ""
                has_new = bool(new_cit) and new_cit in text
                has_old = old_cit in text
                v = "agree" if has_new and not has_old else "kept" if has_old else "other"
                counts[v] = counts.get(v, 0) + 1
                rows.append({"regulation": m.group("title"), "from": m.group("date"),
                             "later": _FILE.match(cand[-1].name).group("date"),  # type: ignore[union-attr]
                             "clause": c["clause"], "kind": c["kind"], "verdict": v})
    n = sum(counts.values())
    print(json.dumps({"clauses": n, **counts, "agreement": round(counts.get("agree", 0) / n, 3) if n else None,
                      "rows": rows}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
