"""Integration against the shared LawRefBook corpus (issue 3 "done means"). Skipped when absent."""

from __future__ import annotations

import pytest

from normcheck.types.law import Level

pytestmark = pytest.mark.corpus


def _law(c, name: str):  # type: ignore[no-untyped-def]
    laws = c.find_laws(name)
    assert laws, f"{name} not in the corpus"
    return laws[0]


def test_lifafa_versions_and_moved_article(shared_corpus) -> None:  # type: ignore[no-untyped-def]
    c = shared_corpus
    law = _law(c, "立法法")
    assert law.name == "中华人民共和国立法法"
    v2020 = c.version_in_force(law.id, "2020-01-01")
    assert v2020 is not None and v2020.version.startswith("2015")
    assert c.article(law.id, v2020.version, 8).text.startswith("下列事项只能制定法律")
    v2024 = c.version_in_force(law.id, "2024-01-01")
    assert v2024 is not None and v2024.version.startswith("2023")
    assert c.article(law.id, v2024.version, 11).text.startswith("下列事项只能制定法律")
    m = next(x for x in c.align(law.id, v2020.version, v2024.version) if x.old_number == 8)
    assert (m.new_number, m.status) == (11, "moved_changed") and m.similarity > 0.9


def test_contract_law_repealed_with_successor(shared_corpus) -> None:  # type: ignore[no-untyped-def]
    c = shared_corpus
    law = _law(c, "《合同法》")
    assert law.repealed_on == "2021-01-01"
    assert c.version_in_force(law.id, "2021-01-01") is None
    assert c.successor(law.id).name == "中华人民共和国民法典"
    assert c.version_in_force(c.successor(law.id).id, "2021-01-01") is not None


def test_sports_law_has_two_versions(shared_corpus) -> None:  # type: ignore[no-untyped-def]
    assert len(shared_corpus.versions(_law(shared_corpus, "体育法").id)) == 2


def test_search_and_superior_laws(shared_corpus) -> None:  # type: ignore[no-untyped-def]
    c = shared_corpus
    hits = c.search("吊销营业执照", as_of="2024-01-01", limit=5)
    assert len(hits) == 5 and all("吊销营业执照" in h.article.text for h in hits)
    sup = {law.name for law in c.superior_laws(Level.MUNICIPAL_RULE, "杭州", "2024-01-01")}
    assert "中华人民共和国行政处罚法" in sup
    assert any(n.startswith("浙江省") for n in sup) and any(n.startswith("杭州市") for n in sup)
    assert not any(n.startswith(("上海市", "宁波市")) for n in sup)


@pytest.mark.parametrize("region, has, lacks", [
    ("青岛", {"中华人民共和国黄河保护法"}, {"长江河道采砂管理条例", "中华人民共和国长江保护法", "太湖流域管理条例"}),
    ("武汉", {"长江河道采砂管理条例", "中华人民共和国长江保护法"}, {"中华人民共和国黄河保护法", "太湖流域管理条例"}),
    ("上海", {"太湖流域管理条例", "长江河道采砂管理条例"}, {"中华人民共和国黑土地保护法"}),
])
def test_regional_laws_are_above_their_regions_only(shared_corpus, region: str, has: set[str],  # type: ignore[no-untyped-def]
                                                    lacks: set[str]) -> None:
    sup = {law.name for law in shared_corpus.superior_laws(Level.LOCAL_REGULATION, region, "2024-01-01")}
    assert has <= sup and not (lacks & sup)
    assert "中华人民共和国行政处罚法" in sup
