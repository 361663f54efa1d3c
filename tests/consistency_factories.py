"""A tiny in-memory corpus of statute-like articles written for the alignment/consistency tests."""

from __future__ import annotations

from normcheck.corpus.api import ArticleMapping, SearchHit
from normcheck.types.law import Article, Law, LawVersion, Level, Status

#: (law name, level, version, [article texts, paragraphs separated by newlines])
LAWS: list[tuple[str, Level, str, list[str]]] = [
    ("中华人民共和国示范许可法", Level.LAW, "2019-04-23", [
        "为了规范示范许可的设定和实施，制定本法。",
        "申请示范许可的，申请人应当向主管机关如实报送材料，并对所报材料的真实性承担责任。",
        "主管机关应当自受理示范许可申请之日起二十日内作出示范许可决定。二十日内不能作出决定的，"
        "报本机关负责人同意后可以再延长十日，并把延期理由告知申请人。",
        "任何单位和个人不得在示范保护区内从事采砂、取土等活动，法律另有规定的除外。",
        "违反本法规定，在示范保护区内从事采砂活动的，由主管机关责令停止违法行为，"
        "处一万元以上十万元以下罚款。",
    ]),
    ("示范河道管理条例", Level.ADMINISTRATIVE_REGULATION, "2017-03-01", [
        "示范河道按照流域统一管理与分级负责相结合的方式管理。",
        "在河道管理范围内修建建筑物，建设单位应当按照河道管理权限将工程建设方案报送主管机关审查同意。",
        "禁止在河道内弃置、堆放阻碍行洪的物体。",
    ]),
    ("中华人民共和国示范教育法", Level.LAW, "2015-12-27", [
        "示范国家的学校教育分为学前、初等、中等和高等四个阶段。",
        "学校应当建立健全安全管理制度，定期开展安全教育。",
    ]),
]


class FakeCorpus:
    """Implements the parts of ``CorpusAPI`` that alignment and the consistency check use."""

    def __init__(self, laws: list[tuple[str, Level, str, list[str]]] | None = None) -> None:
        self._laws: dict[str, Law] = {}
        self._versions: dict[str, LawVersion] = {}
        self._articles: dict[str, list[Article]] = {}
        for name, level, ver, arts in laws or LAWS:
            law_id = name
            self._laws[law_id] = Law(id=law_id, name=name, level=level)
            self._versions[law_id] = LawVersion(law_id, ver, valid_from=ver, status=Status.IN_FORCE)
            self._articles[law_id] = [
                Article(law_id, ver, i, 0, f"第{_cn(i)}条", text, tuple(text.split("\n")))
                for i, text in enumerate(arts, 1)]
        self.superior_calls = 0

    def law(self, law_id: str) -> Law | None:
        return self._laws.get(law_id)

    def find_laws(self, name: str, *, region: str | None = None) -> list[Law]:
        key = name.strip("《》").removeprefix("中华人民共和国")
        return [law for law in self._laws.values() if law.name.removeprefix("中华人民共和国") == key]

    def suggest(self, name: str, limit: int = 5) -> list[str]:
        return []

    def versions(self, law_id: str) -> list[LawVersion]:
        return [self._versions[law_id]] if law_id in self._versions else []

    def version_in_force(self, law_id: str, date: str) -> LawVersion | None:
        v = self._versions.get(law_id)
        return v if v is not None and (v.valid_from or "") <= date else None

    def article(self, law_id: str, version: str, number: int, suffix: int = 0) -> Article | None:
        return next((a for a in self._articles.get(law_id, []) if a.number == number and a.suffix == suffix), None)

    def articles(self, law_id: str, version: str) -> list[Article]:
        return list(self._articles.get(law_id, []))

    def align(self, law_id: str, old_version: str, new_version: str) -> list[ArticleMapping]:
        return []

    def successor(self, law_id: str) -> Law | None:
        return None

    def superior_laws(self, kind: Level, region: str | None, date: str) -> list[Law]:
        self.superior_calls += 1
        return [law for law in self._laws.values() if self.version_in_force(law.id, date) is not None]

    def search(self, query: str, **kw: object) -> list[SearchHit]:
        return []


def _cn(n: int) -> str:
    from normcheck.text.numerals import int_to_cn

    return int_to_cn(n)
