"""Determinism and security stay proven (issue 17): byte-identical JSONL across runs and job counts,
no network, output paths inside the output folder, document text escaped in HTML."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from normcheck.batch.run import run_batch

pytestmark = pytest.mark.timeout(120)

DOCS = [
    "某市示范活动管理办法\n第一条　根据《中华人民共和国示范法》，制定本办法。\n"
    "第二条　违反本办法规定的，处五万元罚款，吊销许可证。\n",
    "某市测试管理办法\n第一章　总则\n第一条　为了测试，制定本办法。\n第二章　附则\n第二条　本办法自发布之日起施行。\n",
    "某市第三办法\n第一条　依照《示范管理条例》第二条的规定备案。\n",
]


@pytest.fixture(scope="module")
def demo_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from normcheck.corpus.ingest import build_corpus
    from tests.corpus_factories import write_demo_corpus

    root = tmp_path_factory.mktemp("demo-sec")
    out = root / "corpus.sqlite"
    build_corpus([write_demo_corpus(root / "src")], out)
    return out


@pytest.fixture
def inputs(tmp_path: Path) -> list[str]:
    paths = []
    for i, text in enumerate(DOCS):
        p = tmp_path / "in" / f"d{i}.txt"
        p.parent.mkdir(exist_ok=True)
        p.write_text(text, encoding="utf-8")
        paths.append(str(p))
    return paths


def test_jsonl_byte_identical_across_runs_and_jobs(tmp_path: Path, inputs: list[str], demo_index: Path) -> None:
    outs = []
    for n, jobs in enumerate([1, 1, 2]):
        out = tmp_path / f"o{n}.jsonl"
        run_batch(inputs, out=out, jobs=jobs, corpus_path=demo_index, as_of="2026-11-28", timeout_s=None)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    assert outs[0].count(b"\n") == 3


def test_check_runs_with_networking_blocked(monkeypatch: pytest.MonkeyPatch, inputs: list[str],
                                            demo_index: Path) -> None:
    def refuse(*a: object, **k: object) -> None:
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    import normcheck

    for p in inputs:
        r = normcheck.check(p, corpus=demo_index, as_of="2026-11-28")
        assert r.error is None and r.clauses


def test_docx_report_paths_stay_inside_the_output_folder(tmp_path: Path) -> None:
    from normcheck.report.docx_report import write_docx_reports
    from normcheck.types.findings import DocumentInfo, Result

    results = [Result(document=DocumentInfo(path=p, title="t", kind=None, kind_inferred=False, as_of="2026-01-01",
                                            region=None, sha256="0" * 64))
               for p in ["../../escape.txt", "/etc/passwd", "..", "a/.hidden", "x" * 300 + ".txt"]]
    out = tmp_path / "rep"
    written = write_docx_reports(results, out)
    assert written and all(Path(w).resolve().parent == out.resolve() for w in written)
    assert all(len(Path(w).name.encode()) <= 255 for w in written)


def test_html_escapes_document_text(tmp_path: Path, inputs: list[str]) -> None:
    evil = tmp_path / "in" / "evil.txt"
    evil.write_text("<script>alert(1)</script>某办法\n第一条　<img src=x onerror=alert(2)>处以罚款。\n",
                    encoding="utf-8")
    out = tmp_path / "r.html"
    run_batch([str(evil)], out=out, fmt="html", timeout_s=None)
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
