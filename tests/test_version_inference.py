"""Version inference (issue 16): which version of a law an undated citation means, from its words.

A tiny in-memory corpus (the FakeCorpus of tests/test_resolve.py) holds two made-up laws in two
versions each; the texts are our own, not statute text.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from normcheck.checks.references import reference_findings
from normcheck.cite import LawCitation, find_citations
from normcheck.resolve import date_evidence, resolve_citations, score_versions
from normcheck.structure.segment import segment_text
from normcheck.types.law import Law, Level

AS_OF = "2025-04-19"
OLD_NINE = "申请人认为行政机关的决定侵害其权益的，可以自收到决定书之日起六十日内向上一级机关申请复核。"
NEW_NINE = "上级机关应当设立复核咨询窗口，为申请人提供免费的咨询服务。"
NEW_TWENTY = OLD_NINE.replace("六十日", "九十日")


def _fake_corpus_cls() -> Any:
    spec = importlib.util.spec_from_file_location("_nc_vi_resolve", Path(__file__).with_name("test_resolve.py"))
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.FakeCorpus


def corpus(lf_switch: str = "2023-03-15") -> Any:
    """``lf_switch``: the day 示范立规法's 2023 version takes over from the 2015 one."""
    fc = _fake_corpus_cls()()
    filler = [f"第{i}条的一般规定，内容与复核无关。" for i in range(1, 9)]
    old = [*filler, OLD_NINE, *(f"旧版第{i}条，关于复核程序的其他事项。" for i in range(10, 21))]
    new = [*filler, NEW_NINE, *(f"新版第{i}条，关于复核程序的其他事项。" for i in range(10, 20)), NEW_TWENTY,
           *(f"新版第{i}条，新增的复核监督规定。" for i in range(21, 31))]
    fc.add(Law("fh", "中华人民共和国示范复核法", Level.LAW, aliases=("示范复核法",)),
           {"2017-09-01": old, "2023-09-01": new},
           valid={"2017-09-01": ("2018-01-01", "2024-01-01"), "2023-09-01": ("2024-01-01", None)})
    fc.add(Law("lf", "中华人民共和国示范立规法", Level.LAW, aliases=("示范立规法",)),
           {"2015-03-15": [f"立规旧条{i}。" for i in range(1, 80)],
            "2023-03-13": [f"立规新条{i}，经过全面修改。" for i in range(1, 90)]},
           valid={"2015-03-15": ("2015-03-15", lf_switch), "2023-03-13": (lf_switch, None)})
    return fc


def doc(*articles: str, history: str = "", effective: str = "") -> Any:
    body = "\n\n".join(f"第{n}条 {t}" for n, t in zip("一二三四五六七八九", articles, strict=False))
    if effective:
        body += f"\n\n第{'一二三四五六七八九'[len(articles)]}条 本规定自{effective}起施行。"
    return segment_text(f"某市复核工作规定\n\n{history}\n\n{body}\n", fmt="txt")


def run(d: Any, fc: Any) -> tuple[list[Any], list[Any]]:
    cits = find_citations(d)
    res = resolve_citations(cits, d, fc, as_of=AS_OF, region=None, kind=Level.MUNICIPAL_RULE)
    fs = reference_findings(d, fc, as_of=AS_OF, region=None, kind=Level.MUNICIPAL_RULE, citations=cits,
                            resolutions=res)
    law_res = [r for c, r in zip(cits, res, strict=True) if isinstance(c, LawCitation)]
    return law_res, fs


RESTATES_OLD = ("申请人认为行政机关的决定侵害其权益的，可以依照《示范复核法》第九条的规定，"
                "自收到决定书之日起六十日内申请复核。")
RESTATES_NEW = "上级机关依照《示范复核法》第九条的规定设立复核咨询窗口，提供免费咨询服务。"


def test_undated_clause_restating_the_old_article_resolves_to_the_old_version() -> None:
    fc = corpus()
    res, fs = run(doc(RESTATES_OLD), fc)
    assert res[0].inferred_version is not None and res[0].inferred_version.version == "2017-09-01"
    assert res[0].dated_version is not None and res[0].dated_version.version == "2023-09-01"
    assert "2017-09-01版" in res[0].inference_reason
    [f] = [f for f in fs if f.details.get("reason", "").startswith("article_")]
    assert "第二十条" in f.message and "推断引用的是2017-09-01版" in f.message
    assert f.details["inferred_version"] == "2017-09-01" and f.details["new_article"] == 20
    assert [e.version for e in f.evidence] == ["2017-09-01", "2023-09-01"]  # both texts


def test_undated_clause_fitting_the_current_version_is_left_alone() -> None:
    res, fs = run(doc(RESTATES_NEW), corpus())
    assert res[0].inferred_version is None and res[0].cited_version is not None
    assert res[0].cited_version.version == "2023-09-01"
    assert not [f for f in fs if f.type.value == "outdated_reference"]


def test_dated_document_keeps_its_date_version_without_clear_evidence() -> None:
    # history line 2024: the current version; the clause says nothing that tells versions apart
    res, _ = run(doc("依照《示范复核法》第九条的规定办理。", history="（2024年5月1日某市人民代表大会常务委员会通过）"),
                 corpus())
    assert res[0].inferred_version is None and res[0].cited_version is not None
    assert res[0].cited_version.version == "2023-09-01"


def test_a_number_only_the_newer_version_has_moves_an_old_effective_date_forward() -> None:
    # dated only by its 施行 article (2010, before both versions): 第三十条 exists only in 2023
    res, fs = run(doc("依照《示范复核法》第三十条的规定进行监督。", effective="2019年1月1日"), corpus())
    assert res[0].inferred_version is not None and res[0].inferred_version.version == "2023-09-01"
    assert "不存在" in res[0].inference_reason
    assert not [f for f in fs if f.details.get("reason") == "missing_article"]


def test_other_citations_bound_the_drafting_date() -> None:
    # 示范复核法 clearly its 2017 version (in force 2018-01-01 .. 2024-01-01): the document was drafted then.
    # The bare 示范立规法第七十二条 says nothing of its own; if 示范立规法 changed inside that window it stays
    # as dated, if not the window settles it.
    bare = "根据《示范立规法》第七十二条的规定制定。"
    res, _ = run(doc(RESTATES_OLD, bare), corpus(lf_switch="2023-03-15"))
    assert res[1].inferred_version is None
    res, _ = run(doc(RESTATES_OLD, bare), corpus(lf_switch="2024-06-01"))
    assert res[1].inferred_version is not None and res[1].inferred_version.version == "2015-03-15"
    assert "应制定于2018-01-01至2023-12-31之间" in res[1].inference_reason


@pytest.mark.parametrize(("history", "effective", "expected"), [
    ("（2020年1月1日通过）", "", "history"),
    ("", "2020年1月1日", "effective"),
    ("", "", "none"),
])
def test_date_evidence(history: str, effective: str, expected: str) -> None:
    assert date_evidence(doc("一般规定。", history=history, effective=effective)) == expected


def test_score_versions_counts_only_distinguishing_bigrams() -> None:
    fc = corpus()
    law = fc.law("fh")
    d = doc(RESTATES_OLD)
    cit = next(c for c in find_citations(d) if isinstance(c, LawCitation))
    scores = {s.version.version: s.support for s in score_versions(RESTATES_OLD, fc, law, cit.refs)}
    assert scores["2017-09-01"] > 10 and scores["2023-09-01"] <= 2


def test_inference_can_be_switched_off() -> None:
    fc = corpus()
    d = doc(RESTATES_OLD)
    cits = find_citations(d)
    res = resolve_citations(cits, d, fc, as_of=AS_OF, region=None, kind=None, infer=False)
    assert all(r is None or r.inferred_version is None for r in res)
