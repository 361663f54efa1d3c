"""Authority checks (issue 5): one test per row of the 设定权 table, data validation, evidence."""

from __future__ import annotations

import copy
import json
from importlib import resources

import pytest

from normcheck import segment
from normcheck.checks import CheckContext
from normcheck.checks.authority.check import check_authority
from normcheck.errors import Code, NormcheckError
from normcheck.knowledge.authority import authority_tables, validate_authority, validate_signals
from normcheck.types.law import Article, Law, LawVersion, Level

#: One clause of our own that sets each (act, type).
SAMPLE = {
    ("penalty", "警告"): "违反本规定的，由主管部门给予警告。",
    ("penalty", "罚款"): "违反本规定的，由主管部门处二千元以上一万元以下罚款。",
    ("penalty", "吊销营业执照"): "情节严重的，由主管部门吊销营业执照。",
    ("penalty", "行政拘留"): "违反本规定的，由公安机关处十日以下拘留。",
    ("penalty", "责令停产停业"): "情节严重的，由主管部门责令停产停业。",
    ("license", "许可"): "从事某类经营的，应当经市主管部门批准。",
    ("license", "地域限制"): "外地企业不得在本市承接公共工程。",
    ("compulsion", "查封"): "对拒不改正的，主管部门可以查封其经营场所。",
    ("compulsion", "扣押"): "对拒不改正的，主管部门可以扣押其经营工具。",
    ("compulsion", "冻结"): "对拒不缴纳的，主管部门可以冻结其存款。",
    ("compulsion", "限制人身自由"): "对拒不配合的，执法人员可以强制带离现场。",
    ("compulsion", "强制执行"): "逾期不拆除的，由区人民政府组织强制拆除。",
    ("reserved", "犯罪和刑罚"): "有下列行为之一的，以诈骗罪论处。",
    ("reserved", "征收征用"): "因建设需要，可以征收村民集体所有的土地。",
    ("obligation", "保证金押金"): "投标人应当缴纳投标保证金。",
    ("fee", "收费"): "办理登记的，收取工本费二十元。",
}
FINDING = {"penalty": "penalty_setting", "license": "license_setting", "compulsion": "compulsion_setting",
           "reserved": "reserved_matter", "obligation": "rights_obligations", "fee": "fee_setting"}


def _doc(clause: str):  # type: ignore[no-untyped-def]
    return segment(f"某某管理规定\n\n第一条 为了加强管理，制定本规定。\n第二条 {clause}\n"
                   "第三条 本规定自2024年1月1日起施行。\n")


def _row_cases() -> list[tuple[str, str, str, str]]:
    """For every row and issuer it names, a sample clause whose act that row decides."""
    tables = authority_tables()
    out = []
    for rule in tables.rules:
        issuers = [i for i in rule.issuers if i != "*"] or ["normative_document", "local_regulation"]
        for issuer in issuers:
            for (act, type_), text in SAMPLE.items():
                decided = tables.rule_for(act, type_, issuer)
                if act == rule.act and decided is not None and decided.id == rule.id:
                    out.append((rule.id, issuer, type_, text))
                    break
            else:
                out.append((rule.id, issuer, "", ""))
    return out


@pytest.mark.parametrize(("row_id", "issuer", "type_", "text"), _row_cases())
def test_each_table_row(row_id: str, issuer: str, type_: str, text: str) -> None:
    tables = authority_tables()
    rule = next(r for r in tables.rules if r.id == row_id)
    if not text:
        shadow = [r.id for r in tables.rules if r.act == rule.act and r.issuers == rule.issuers]
        assert rule.id not in shadow[:1] or rule.outcome == "allowed", f"no sample clause for row {row_id}"
        pytest.skip(f"row {row_id} ({issuer}) has no sample type of its own")
    ctx = CheckContext(document=_doc(text), kind=Level(issuer), as_of="2024-06-01", region=None)
    found = [f for f in check_authority(ctx) if f.type.value == FINDING[rule.act] and f.clause == "第二条"]
    if rule.outcome in ("allowed", "limited"):  # limited without a region limit: no finding
        assert not found, [f.message for f in found]
    else:
        assert found, f"{row_id}: no finding for {issuer} on {text}"
        f = found[0]
        assert f.details["table_row"] == row_id
        assert f.basis.startswith(rule.law)
        assert f.severity.value in ("high", "medium", "low")
        assert f.evidence and f.evidence[0].law


@pytest.mark.parametrize(("region", "text", "expected"), [
    ("浙江", "违反本规定的，处一千元以上二万元以下罚款。", None),
    ("浙江", "违反本规定的，处一万元以上五万元以下罚款。", "medium"),
    ("浙江", "违反本规定的，处十万元以上二十万元以下罚款。", "high"),
    ("山东", "违反本规定的，处一万元以上五万元以下罚款。", None),
    ("河南", "违反本规定的，处十万元以上二十万元以下罚款。", "medium"),
    ("上海", "违反本规定的，处十万元以上二十万元以下罚款。", None),  # no limit recorded: nothing claimed
])
def test_rule_fine_limits(region: str, text: str, expected: str | None) -> None:
    ctx = CheckContext(document=_doc(text), kind=Level.MUNICIPAL_RULE, as_of="2024-06-01", region=region)
    found = [f for f in check_authority(ctx) if f.type.value == "penalty_setting"]
    if expected is None:
        assert not found
    else:
        assert found and found[0].severity.value == expected
        assert "limit_source" in found[0].details


@pytest.mark.parametrize(("text", "kind", "n"), [
    # the same sentence: lawful in a local regulation, not in a normative document
    ("违反本规定的，由主管部门处二千元以上一万元以下罚款。", Level.LOCAL_REGULATION, 0),
    ("违反本规定的，由主管部门处二千元以上一万元以下罚款。", Level.NORMATIVE_DOCUMENT, 1),
    # referring is not setting
    ("违反本规定的，依照《中华人民共和国某某法》的规定处二千元以上一万元以下罚款。", Level.NORMATIVE_DOCUMENT, 0),
    ("情节严重的，由原发证机关依法吊销营业执照。", Level.MUNICIPAL_REGULATION, 0),
    ("情节严重的，由原发证机关吊销营业执照。", Level.MUNICIPAL_REGULATION, 1),
    ("违反本规定的，依照有关法律、法规的规定处罚。", Level.NORMATIVE_DOCUMENT, 0),
])
def test_setting_vs_referring_in_check(text: str, kind: Level, n: int) -> None:
    ctx = CheckContext(document=_doc(text), kind=kind, as_of="2024-06-01", region=None)
    assert len([f for f in check_authority(ctx) if f.severity.value == "high"]) == n


def test_old_numbering_before_2021() -> None:
    ctx = CheckContext(document=_doc(SAMPLE[("penalty", "罚款")]), kind=Level.NORMATIVE_DOCUMENT,
                       as_of="2019-01-01", region=None)
    (f,) = check_authority(ctx)
    assert f.basis == "行政处罚法第十四条"  # 1996/2017 text: other normative documents


def test_no_kind_no_findings_when_uninferable() -> None:
    doc = segment("第一条 违反本规定的，处一万元罚款。\n")
    assert check_authority(CheckContext(document=doc, kind=None, as_of="2024-01-01", region=None)) == []


class _FakeCorpus:
    def find_laws(self, name: str, *, region: str | None = None) -> list[Law]:
        if "行政处罚法" in name:
            return [Law(id="xzcf", name="中华人民共和国行政处罚法", level=Level.LAW)]
        return []

    def version_in_force(self, law_id: str, date: str) -> LawVersion | None:
        return LawVersion(law_id=law_id, version="2021-01-22")

    def versions(self, law_id: str) -> list[LawVersion]:
        return [LawVersion(law_id=law_id, version="2021-01-22")]

    def article(self, law_id: str, version: str, number: int, suffix: int = 0) -> Article | None:
        return Article(law_id=law_id, version=version, number=number, label=f"第{number}条", text=f"条文{number}")


def test_evidence_from_corpus() -> None:
    ctx = CheckContext(document=_doc(SAMPLE[("penalty", "罚款")]), kind=Level.NORMATIVE_DOCUMENT,
                       as_of="2024-06-01", region=None, corpus=_FakeCorpus())
    (f,) = check_authority(ctx)
    ev = f.evidence[0]
    assert (ev.law, ev.version, ev.text) == ("中华人民共和国行政处罚法", "2021-01-22", "条文16")


def _raw(name: str) -> dict:
    return json.loads((resources.files("normcheck") / "data" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("mutate", [
    lambda d: d["rules"][0].update(outcome="maybe"),
    lambda d: d["rules"][0].update(issuers=["city_council"]),
    lambda d: d["rules"][0].update(law="不存在法"),
    lambda d: d["rules"][1].update(id=d["rules"][0]["id"]),
    lambda d: d["rules"][0].pop("article"),
    lambda d: d["fine_limits"][0].update(general=0),
    lambda d: d["fine_limits"][0].update(valid_from="2013/07/01"),
])
def test_bad_authority_data_is_e901(mutate) -> None:  # type: ignore[no-untyped-def]
    data = copy.deepcopy(_raw("authority.json"))
    mutate(data)
    with pytest.raises(NormcheckError) as exc:
        validate_authority(data)
    assert exc.value.code is Code.BAD_DATA


def test_bad_signal_regex_is_e901() -> None:
    data = copy.deepcopy(_raw("signals.json"))
    data["penalty"][0]["pattern"] = "(unclosed"
    with pytest.raises(NormcheckError) as exc:
        validate_signals(data)
    assert exc.value.code is Code.BAD_DATA and "penalty[0]" in str(exc.value)
