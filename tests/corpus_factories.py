"""A tiny LawRefBook-shaped corpus written by the tests (statute-like texts of our own)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

DEMO_2010 = """# 中华人民共和国示范法

2009年12月1日 第一届示范会议通过

<!-- INFO END -->

## 第一章 总则

第一条 为了规范示范活动，保护示范参与人的合法权益，制定本法。

第二条 本法适用于示范活动的组织和管理。

第三条 违反本法规定擅自组织示范活动的，由主管部门责令改正，处一千元以下罚款。

第四条 示范登记簿由县级人民政府统一印制。

## 第二章 附则

第五条 本法自2010年1月1日起施行。《中华人民共和国旧示范法》同时废止。
"""

DEMO_2020 = """# 中华人民共和国示范法

2009年12月1日 第一届示范会议通过

2020年5月1日 第二届示范会议修订

<!-- INFO END -->

## 第一章 总则

第一条 为了规范示范活动，保护示范参与人的合法权益，制定本法。

第二条 国家鼓励公民参加示范活动，支持社会力量参与示范服务。

第三条 本法适用于示范活动的组织和管理。

第四条 违反本法规定擅自组织示范活动的，由主管部门责令改正，处五千元以上一万元以下罚款。

## 第二章 附则

第五条 本法自2020年6月1日起施行。
"""

RULE = """# 示范管理条例

2012年3月1日 国务院公布

<!-- INFO END -->

第一条 根据《中华人民共和国示范法》，制定本条例。

第二条 示范活动的组织者应当向主管部门备案，并缴纳示范保证金。

第三条 本条例自2012年5月1日起施行。
"""

PROVINCE = """# 浙江省示范条例

2015年3月1日 浙江省人民代表大会常务委员会通过

<!-- INFO END -->

第一条 为了实施《中华人民共和国示范法》，结合本省实际，制定本条例。

第二条 本条例自2015年5月1日起施行。
"""

CITY = """# 杭州市示范条例

2016年1月1日 杭州市人民代表大会常务委员会通过

<!-- INFO END -->

第一条 为了规范本市示范活动，制定本条例。

第二条 本条例自2016年3月1日起施行。
"""

NO_ARTICLES = """# 关于示范工作的决议

2018年1月1日 通过

<!-- INFO END -->

会议要求各级机关做好示范工作。
"""

_SCHEMA = """
CREATE TABLE category (id TEXT NOT NULL UNIQUE PRIMARY KEY, name TEXT NOT NULL, folder TEXT NOT NULL,
    isSubFolder INTEGER NOT NULL, "group" TEXT, "order" integer);
CREATE TABLE law (id TEXT NOT NULL PRIMARY KEY, level TEXT NOT NULL, name TEXT NOT NULL, filename TEXT,
    publish DATE, expired INTEGER NOT NULL, "order" integer, subtitle TEXT, valid_from DATE, ver INTEGER,
    tags TEXT, category_id TEXT NOT NULL);
"""


def _db(path: Path, categories: list[tuple[str, str]], laws: list[tuple[str, str, str, str | None, str | None, int]]
        ) -> None:
    """laws: (level, name, category folder, publish, valid_from, expired)."""
    con = sqlite3.connect(path)
    con.executescript(_SCHEMA)
    for i, (name, folder) in enumerate(categories):
        con.execute("INSERT INTO category VALUES (?, ?, ?, 0, NULL, ?)", (f"c{i}", name, folder, i))
    ids = {folder: f"c{i}" for i, (_, folder) in enumerate(categories)}
    for i, (level, name, folder, publish, valid_from, expired) in enumerate(laws):
        con.execute("INSERT INTO law (id, level, name, publish, expired, valid_from, ver, category_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, 1, ?)", (f"l{i}", level, name, publish, expired, valid_from,
                                                        ids[folder]))
    con.commit()
    con.close()


def write_demo_corpus(root: Path) -> Path:
    """Write a small LawRefBook-layout corpus under ``root`` and return it."""
    (root / "行政法").mkdir(parents=True)
    (root / "行政法规").mkdir()
    (root / "其他").mkdir()
    (root / "案例").mkdir()
    (root / "行政法" / "示范法(2010-01-01).md").write_text(DEMO_2010, encoding="utf-8")
    (root / "行政法" / "示范法(2020-05-01).md").write_text(DEMO_2020, encoding="utf-8")
    (root / "行政法" / "_index.md").write_text("---\n---\n", encoding="utf-8")
    (root / "行政法规" / "示范管理条例(2012-03-01).md").write_text(RULE, encoding="utf-8")
    # the same version again in another folder: a duplicate, reported and skipped
    (root / "部门规章").mkdir()
    (root / "部门规章" / "示范管理条例(2012-03-01).md").write_text(RULE, encoding="utf-8")
    (root / "其他" / "关于示范工作的决议(2018-01-01).md").write_text(NO_ARTICLES, encoding="utf-8")
    (root / "案例" / "某案.md").write_text("# 某案\n\n案情。\n", encoding="utf-8")
    cats = [("行政法", "行政法"), ("行政法规", "行政法规"), ("其他", "其他"), ("部门规章", "部门规章"),
            ("案例", "案例/x")]
    _db(root / "db.sqlite3", cats, [
        ("法律", "示范法", "行政法", "2010-01-01", "2010-01-01", 1),
        ("法律", "示范法", "行政法", "2020-05-01", "2020-06-01", 0),
        ("行政法规", "示范管理条例", "行政法规", "2012-03-01", "2012-05-01", 0),
        ("部门规章", "示范管理条例", "部门规章", "2012-03-01", "2012-05-01", 0),
        ("其他", "关于示范工作的决议", "其他", "2018-01-01", "2018-01-01", 0),
    ])
    dlc = root / "DLC" / "浙江地方法规"
    folder = dlc / "地方性法规" / "浙江"
    folder.mkdir(parents=True)
    (folder / "浙江省示范条例(2015-03-01).md").write_text(PROVINCE, encoding="utf-8")
    (folder / "杭州市示范条例(2016-01-01).md").write_text(CITY, encoding="utf-8")
    _db(dlc / "db.sqlite3", [("浙江", "地方性法规/浙江")], [
        ("地方性法规", "浙江省示范条例", "地方性法规/浙江", "2015-03-01", "2015-05-01", 0),
        ("地方性法规", "杭州市示范条例", "地方性法规/浙江", "2016-01-01", "2016-03-01", 0),
    ])
    return root
