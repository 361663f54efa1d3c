"""The superior-basis search (issue 14, checks/authority/basis.py) finds the superior article that provides for a
measure when the first retrieval ranks it out, and when the corpus holds only a later version of a law that existed
on the document's date (it then lowers, never drops, and says which version it read).

The provisions below are written for these tests (not corpus text)."""

from __future__ import annotations

from typing import Any

from normcheck.checks import CheckContext
from normcheck.checks.authority.burdens import check_legality
from normcheck.structure.load import load_document
from normcheck.types.law import Level


def _basis(body: str, as_of: str, region: str, corpus: Any) -> list[dict[str, Any]]:
    doc = load_document(f"某某条例\n\n第一条 为了加强管理，制定本条例。\n\n第二条 {body}\n\n"
                        "第三条 本条例自公布之日起施行。\n")
    ctx = CheckContext(document=doc, kind=Level.LOCAL_REGULATION, as_of=as_of, region=region, corpus=corpus)
    return [dict(f.details) for f in check_legality(ctx)
            if (f.clause or "").startswith("第二条") and f.details.get("analyser") == "enforcement_wording"]


def test_a_demolition_clause_finds_the_planning_law_article_in_a_later_version(shared_corpus: Any) -> None:
    # the corpus holds 城乡规划法 only from 2019-04-23; the law was adopted in 2007
    got = _basis("在规划区内违法建设，主管部门责令停止建设而当事人拒不停止或者逾期不拆除的，所在地县级以上人民政府"
                 "可以指令有关部门查封施工现场、强制拆除。", "2018-06-01", "浙江", shared_corpus)
    assert got, "the enforcement wording should still be reported (lowered, not dropped)"
    sup = got[0].get("superior_basis") or {}
    assert sup.get("law") == "中华人民共和国城乡规划法" and sup.get("article") == "第六十八条"
    assert sup.get("later_version") is True


def test_a_flood_obstacle_clause_finds_the_flood_law_article_in_a_later_version(shared_corpus: Any) -> None:
    # the corpus holds 防洪法 only from 2016-07-02; the law was adopted in 1997
    got = _basis("在河道、湖泊管理范围内设置阻碍行洪的障碍物的，按照谁设障谁清除的原则，由防汛指挥机构责令限期清除；"
                 "逾期不清除的，由防汛指挥机构组织强行清除，费用由设障者负担。", "2016-03-01", "河南", shared_corpus)
    assert got
    sup = got[0].get("superior_basis") or {}
    # 防洪法第四十二条 (later version) or the river regulation in force then, which provides the same measure
    assert (sup.get("law"), sup.get("article")) in {("中华人民共和国防洪法", "第四十二条"),
                                                    ("中华人民共和国河道管理条例", "第三十六条")}


def test_no_later_version_basis_for_a_law_adopted_after_the_document(shared_corpus: Any) -> None:
    # 1995: neither law existed (城乡规划法 2007, 防洪法 1997), so neither may be the basis
    got = _basis("在规划区内违法建设，当事人逾期不拆除的，所在地县级人民政府可以指令有关部门查封施工现场、"
                 "强制拆除。",
                 "1995-06-01", "浙江", shared_corpus)
    for d in got:
        assert (d.get("superior_basis") or {}).get("law") != "中华人民共和国城乡规划法"
