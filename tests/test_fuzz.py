"""Fuzzing (issue 17): readers, segmenter, citation finder and ``check`` never raise an uncoded error
and stay within a time bound per KB. A short budget runs here (CI); ``scripts/fuzz.py`` runs a long one
(and atheris, where it is installed). ``NORMCHECK_FUZZ_EXAMPLES`` raises the budget here."""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normcheck.errors import NormcheckError

pytestmark = pytest.mark.timeout(120)
EXAMPLES = int(os.environ.get("NORMCHECK_FUZZ_EXAMPLES", "40"))
SECONDS_PER_KB = 0.5  # far above what any stage needs (quadratic behaviour shows up as a miss)

FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# text that looks like a regulation, mixed with anything
PIECES = ["第一条", "第二条", "第十二条", "第一章", "第二节", "第三章 教育内容、对象与形式", "第一款", "（一）",
          "（二）", "1.", "本条例", "本办法", "前款", "依照《中华人民共和国行政处罚法》第十四条", "《立法法》", "规定",
          "处以罚款", "吊销许可证", "\n", "\u3000", " ", "，", "。", "；", "\x00", "\x01", "\u202e", "\u200b",
          "條", "為", "<script>", "=SUM(A1)", "\ufeff", "\r\n", "第", "条", "之一"]
legal_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=120).map("".join)


def _bounded(fn, text: str) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.0 + SECONDS_PER_KB * len(text.encode("utf-8", "surrogatepass")) / 1024, elapsed


@FUZZ
@given(st.binary(max_size=4096))
def test_decode_bytes_never_raises_uncoded(data: bytes) -> None:
    from normcheck.text.read import decode_bytes

    try:
        text, enc = decode_bytes(data)
    except NormcheckError:
        return
    assert isinstance(text, str) and enc


@FUZZ
@given(legal_text)
def test_segment_never_raises_and_offsets_round_trip(text: str) -> None:
    import normcheck

    if not text.strip():
        return
    holder: dict[str, object] = {}
    try:  # a one-line string that looks like a path is read as one: a coded error is fine
        _bounded(lambda: holder.setdefault("doc", normcheck.segment(text)), text)
    except NormcheckError:
        return
    doc = holder["doc"]
    original = getattr(doc, "original", text)
    for c in getattr(doc, "citations", []) or []:
        assert 0 <= c.start <= c.end <= len(original)


@FUZZ
@given(legal_text)
def test_find_citations_spans_point_into_the_text(text: str) -> None:
    import normcheck

    if not text.strip():
        return
    try:
        doc = normcheck.segment(text)
    except NormcheckError:
        return
    cites: list[object] = []
    _bounded(lambda: cites.extend(normcheck.find_citations(doc)), text)
    for c in cites:
        start, end = getattr(c, "start", 0), getattr(c, "end", 0)
        assert 0 <= start <= end <= len(doc.original)


@pytest.fixture(scope="module")
def _empty_home(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    old = os.environ.get("NORMCHECK_HOME")
    os.environ["NORMCHECK_HOME"] = str(tmp_path_factory.mktemp("fuzz-empty-home"))
    yield
    if old is None:
        os.environ.pop("NORMCHECK_HOME", None)
    else:
        os.environ["NORMCHECK_HOME"] = old


@pytest.mark.usefixtures("_empty_home")
@FUZZ
@given(text=legal_text)
def test_check_text_never_raises(text: str) -> None:
    import normcheck

    if not text.strip():
        return
    out: list[object] = []
    _bounded(lambda: out.append(normcheck.check(text)), text)
    r = out[0]
    d = r.to_dict()  # type: ignore[attr-defined]
    assert d["error"] is None or d["error"]["code"].startswith("E")


@pytest.mark.slow
def test_segment_time_is_linear_in_articles() -> None:
    """5,000 articles took 98 s (issue 17): the time per article must not grow with the count."""
    import normcheck

    def run(n: int) -> float:
        text = "某市测试条例\n" + "".join(f"第{i}条　依照本条例第{max(i - 1, 1)}条的规定处以罚款。\n"
                                         for i in range(1, n + 1))
        t0 = time.perf_counter()
        normcheck.check(text)
        return time.perf_counter() - t0

    small, big = run(500), run(2000)
    assert big < 8 * small + 1.0, (small, big)
