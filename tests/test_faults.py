"""Fault suite, bad inputs (issue 17): every kind of file an adversarial user can hand normcheck.

Each case is generated here (nothing committed), checked through the real reader, segmenter and
checks (no corpus: fast), and must give a coded error or a correct result — no traceback, no hang
(a per-case timeout), the rest of the batch processed. The whole table also runs as one batch.
"""

from __future__ import annotations

import io
import json
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from normcheck.batch.run import run_batch

pytestmark = pytest.mark.timeout(30)

GOOD = "某市测试管理办法\n第一条　为了规范测试活动，制定本办法。\n第二条　本办法自发布之日起施行。\n"
OK = "ok"  # a result without error, with at least one clause


@pytest.fixture(autouse=True)
def _no_corpus(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMCHECK_HOME", str(tmp_path_factory.mktemp("nchome-empty")))
    monkeypatch.delenv("NORMCHECK_MAX_BYTES", raising=False)
    monkeypatch.delenv("NORMCHECK_DOC_TIMEOUT", raising=False)


def _docx_bytes(document_xml: str, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _doc_xml(body: str, prolog: str = "") -> str:
    return f'<?xml version="1.0"?>{prolog}<w:document {W}><w:body>{body}</w:body></w:document>'


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _ole_encrypted() -> bytes:
    """The start of an OLE compound file whose directory names EncryptedPackage (a password .docx)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    entry = "EncryptedPackage".encode("utf-16-le") + b"\x00" * 32
    return header + entry + b"\x00" * 2048 + "EncryptionInfo".encode("utf-16-le")


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b"a" * (30 * 1024 * 1024) + b"/>")
    return buf.getvalue()


# (name, file name, bytes or a maker(dir) -> path, expected: OK or a set of codes)
Maker = Callable[[Path], Path]
CASES: list[tuple[str, str, bytes | Maker, str | set[str]]] = [
    ("empty", "empty.txt", b"", {"E002"}),
    ("whitespace", "ws.txt", " \n\t\u3000\n".encode(), {"E002"}),
    ("binary", "bin.txt", bytes(range(256)) * 64, {"E008", "E003"}),
    ("elf", "prog.txt", b"\x7fELF" + b"\x00\x01" * 100, {"E008"}),
    ("truncated-utf8", "cut.txt", GOOD.encode()[:-2] + "条".encode()[:2], {"E003", OK}),
    ("bom-then-gbk", "bomgbk.txt", b"\xef\xbb\xbf" + GOOD.encode("gbk"), {"E003"}),
    ("gbk", "gbk.txt", GOOD.encode("gbk"), OK),
    ("gb18030", "gb18030.txt", GOOD.encode("gb18030"), OK),
    ("utf16-bom", "u16.txt", GOOD.encode("utf-16"), OK),
    ("utf16-le-no-bom", "u16le.txt", GOOD.encode("utf-16-le"), OK),
    ("utf16-be-no-bom", "u16be.txt", GOOD.encode("utf-16-be"), OK),
    ("crlf-and-cr", "crlf.txt", GOOD.replace("\n", "\r\n").encode(), OK),
    ("nul-bytes", "nul.txt", GOOD.encode()[:20] + b"\x00\x00\x00" + GOOD.encode()[20:], {"E008"}),
    ("c0-controls", "c0.txt", (GOOD * 5).replace("规范测试", "规范\x01测试\x1b", 1).encode(), OK),
    ("bidi-zero-width", "bidi.txt", GOOD.replace("第二条", "\u202e第\u200b二\u200d条\u2066").encode(), OK),
    ("formula-title", "formula.txt", ("=cmd|'/c calc'!A1\n" + GOOD).encode(), OK),
    ("html-payload", "html.txt", ("<script>alert(1)</script><img src=x onerror=alert(2)>\n" + GOOD).encode(), OK),
    ("one-huge-line", "line.txt", ("第一条　" + "测试内容，" * 200_000).encode(), OK),
    ("over-size-limit", "big.txt", lambda d: _sparse(d / "big.txt", 50 * 1024 * 1024), {"E004"}),
    ("markdown-suffix", "doc.markdown", ("# 某市测试管理办法\n\n" + GOOD).encode(), OK),
    ("docx-ok", "ok.docx", _docx_bytes(_doc_xml("".join(_p(x) for x in GOOD.splitlines()))), OK),
    ("docx-not-a-zip", "fake.docx", b"this is not a zip file at all\n" * 10, {"E005"}),
    ("docx-zip-without-document", "nodoc.docx", _docx_bytes("x").replace(b"word/document.xml", b"word/other__.xml"),
     {"E005"}),
    ("docx-truncated", "trunc.docx", _docx_bytes(_doc_xml(_p("第一条　内容。")))[:200], {"E005"}),
    ("docx-zip-bomb", "bomb.docx", _zip_bomb(), {"E006", "E012"}),
    ("docx-billion-laughs", "laughs.docx", _docx_bytes(_doc_xml(
        _p("&lol9;"), '<!DOCTYPE w:document [<!ENTITY lol "lol">' + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
            for i in range(1, 10)) + "]>")), {"E005", "E002", OK}),
    ("docx-xxe", "xxe.docx", _docx_bytes(_doc_xml(
        _p("第一条　&xxe;"), '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')),
     {"E005", "E002", OK}),
    ("docx-encrypted", "locked.docx", _ole_encrypted(), {"E013"}),
    ("docm-macro", "macro.docm", _docx_bytes(_doc_xml(_p("第一条　内容。")), {"word/vbaProject.bin": b"\x00" * 64}),
     {"E007"}),
    ("doc-legacy", "old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024, {"E007"}),
    ("pdf", "scan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", {"E007"}),
    ("wps", "draft.wps", b"\xd0\xcf\x11\xe0" + b"\x00" * 512, {"E007"}),
    ("name-with-spaces-quotes", "a b 'c' \"d\" ?#%.txt", GOOD.encode(), OK),
    ("name-leading-dash", "-rf.txt", GOOD.encode(), OK),
    ("name-with-newline", "two\nlines.txt", GOOD.encode(), OK),
    ("name-250-bytes", "长" * 80 + ".txt", GOOD.encode(), OK),
    ("name-not-utf8", os.fsdecode(b"bad\xff\xfename.txt"), GOOD.encode(), OK),
    ("fifo", "pipe.txt", lambda d: _fifo(d / "pipe.txt"), {"E010"}),
    ("link-to-dev-zero", "zero.txt", lambda d: _link(d / "zero.txt", "/dev/zero"), {"E010"}),
    ("dev-null-named", "/dev/null", lambda d: Path("/dev/null"), {"E010"}),
    ("broken-symlink", "dangling.txt", lambda d: _link(d / "dangling.txt", str(d / "nowhere")), {"E001"}),
    ("symlink-loop", "loop.txt", lambda d: _loop(d), {"E001", "E009"}),
    ("missing", "gone.txt", lambda d: d / "gone.txt", {"E001"}),
]


def _sparse(p: Path, size: int) -> Path:
    with open(p, "wb") as fh:
        fh.write(GOOD.encode())
        fh.truncate(size)
    return p


def _fifo(p: Path) -> Path:
    os.mkfifo(p)
    return p


def _link(p: Path, target: str) -> Path:
    os.symlink(target, p)
    return p


def _loop(d: Path) -> Path:
    os.symlink(d / "loop2.txt", d / "loop.txt")
    os.symlink(d / "loop.txt", d / "loop2.txt")
    return d / "loop.txt"


def make(d: Path, name: str, content: bytes | Maker) -> Path:
    if callable(content):
        return content(d)
    p = d / name
    p.write_bytes(content)
    return p


def outcome(line: dict) -> str:
    if line.get("error"):
        return str(line["error"]["code"])
    return OK if line.get("clauses") else "no-clauses"


def assert_outcome(line: dict, expected: str | set[str]) -> None:
    got = outcome(line)
    want = {expected} if isinstance(expected, str) else expected
    assert got in want, (got, want, line.get("error"))
    if line.get("error"):
        msg = line["error"]["message"]
        assert msg and "Traceback" not in msg and not msg.startswith("internal error"), msg


def test_at_least_thirty_kinds() -> None:
    assert len({c[0] for c in CASES}) >= 30


@pytest.mark.parametrize(("name", "fname", "content", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_one_by_one(tmp_path: Path, name: str, fname: str, content: bytes | Maker,
                              expected: str | set[str]) -> None:
    p = make(tmp_path, fname, content)
    buf = io.StringIO()
    s = run_batch([str(p)], stream=buf)
    lines = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert len(lines) == 1 and s.total == 1
    assert_outcome(lines[0], expected)
    if name == "docx-xxe":
        assert "root:" not in buf.getvalue()  # the external entity was never resolved


def test_whole_table_as_one_batch_rest_processed(tmp_path: Path) -> None:
    """All bad inputs in one folder (plus the named ones): every input gets its line, in order."""
    folder = tmp_path / "in"
    folder.mkdir()
    named: list[str] = []
    for i, (_name, fname, content, _exp) in enumerate(CASES):
        sub = folder / f"{i:02d}"
        sub.mkdir()
        p = make(sub, fname, content)
        named.append(str(p))
    good = folder / "zz-good.txt"
    good.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    s = run_batch([*named, str(good)], out=out)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == len(CASES) + 1 == s.total
    for line, (_name, _f, _c, exp) in zip(lines, CASES, strict=False):
        assert_outcome(line, exp)
    assert outcome(lines[-1]) == OK
    assert not list(tmp_path.glob(".out.jsonl.*.tmp"))  # nothing half-written left behind


def test_folder_walk_reports_refused_formats_issue17(tmp_path: Path) -> None:
    """Regression (issue 17): .doc/.pdf/.docm/.wps in a folder are reported, not silently left out."""
    for name in ("a.doc", "b.pdf", "c.docm", "d.wps"):
        (tmp_path / name).write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    (tmp_path / "e.markdown").write_text("# 某办法\n\n" + GOOD, encoding="utf-8")
    buf = io.StringIO()
    s = run_batch([str(tmp_path)], stream=buf)
    lines = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert [Path(x["document"]["path"]).name for x in lines] == ["a.doc", "b.pdf", "c.docm", "d.wps", "e.markdown"]
    assert [outcome(x) for x in lines] == ["E007"] * 4 + [OK]
    assert s.failed == 4 and s.exit_code == 1


def test_fifo_and_device_in_folder_never_hang_issue17(tmp_path: Path) -> None:
    """Regression (issue 17): a FIFO or a link to /dev/zero in a batch folder hung the hashing step."""
    os.mkfifo(tmp_path / "a-pipe.txt")
    os.symlink("/dev/zero", tmp_path / "b-zero.txt")
    (tmp_path / "c.txt").write_text(GOOD, encoding="utf-8")
    buf = io.StringIO()
    run_batch([str(tmp_path)], stream=buf)
    assert [outcome(json.loads(x)) for x in buf.getvalue().splitlines()] == ["E010", "E010", OK]


def test_manifest_row_naming_a_folder_is_coded(tmp_path: Path) -> None:
    (tmp_path / "adir.txt").mkdir()
    (tmp_path / "ok.txt").write_text(GOOD, encoding="utf-8")
    m = tmp_path / "m.csv"
    m.write_text("path\nadir.txt\nok.txt\n", encoding="utf-8")
    buf = io.StringIO()
    run_batch([], manifest=m, stream=buf)
    assert [outcome(json.loads(x)) for x in buf.getvalue().splitlines()] == ["E009", OK]


def test_encrypted_docx_message_issue17(tmp_path: Path) -> None:
    """Regression (issue 17): a password-protected .docx says so (E013), not 'a renamed .doc?'."""
    p = tmp_path / "secret.docx"
    p.write_bytes(_ole_encrypted())
    buf = io.StringIO()
    run_batch([str(p)], stream=buf)
    err = json.loads(buf.getvalue())["error"]
    assert err["code"] == "E013" and "password" in err["message"] and "renamed" not in err["message"]


def test_bad_max_bytes_setting_is_its_own_code_issue17(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression (issue 17): a bad NORMCHECK_MAX_BYTES was reported with the manifest's code (E203)."""
    from normcheck.errors import NormcheckError

    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("NORMCHECK_MAX_BYTES", "20MB")
    with pytest.raises(NormcheckError) as ei:
        run_batch([str(tmp_path / "a.txt")], stream=io.StringIO())
    assert ei.value.code.value == "E205" and "NORMCHECK_MAX_BYTES" in str(ei.value)


def test_docx_text_far_over_the_limit_is_refused_before_parsing_issue17(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression (issue 17): a small .docx carrying text far past the size limit ran for minutes."""
    monkeypatch.setenv("NORMCHECK_MAX_BYTES", str(200_000))
    body = "".join(_p(f"第{i}条　内容内容内容内容内容内容内容内容。") for i in range(1, 30_000))
    p = tmp_path / "huge.docx"
    p.write_bytes(_docx_bytes(_doc_xml(body)))
    assert p.stat().st_size < 200_000
    buf = io.StringIO()
    run_batch([str(p)], stream=buf)
    assert outcome(json.loads(buf.getvalue())) in {"E012", "E004", "E006"}


def test_missing_path_through_the_api_is_e001_issue17(tmp_path: Path) -> None:
    """Regression (issue 17): normcheck.check('draft.docx') with no such file returned a clean result."""
    import normcheck

    r = normcheck.check(str(tmp_path / "draft.docx"))
    assert r.error is not None and r.error["code"] == "E001"


def test_utf16_without_bom_struct_is_text() -> None:
    from normcheck.text.read import decode_bytes

    text, enc = decode_bytes(GOOD.encode("utf-16-le"))
    assert text == GOOD and enc == "utf-16-le"
    assert struct.calcsize("<H") == 2


def test_traditional_characters_give_clauses_issue17() -> None:
    """Regression (issue 17): 第一條 … gave 0 clauses and no warning."""
    import normcheck

    text = "某市測試管理辦法\n第一條　為了規範測試活動，制定本辦法。\n第二條　本辦法自發布之日起施行。\n"
    r = normcheck.check(text)
    assert r.error is None and len(r.clauses) >= 2
    assert r.clauses[0].text.startswith("第一條")  # offsets and text are the original's
    doc = normcheck.segment(text)
    assert [w.code for w in doc.warnings] == ["W001"]


def test_script_map_keeps_offsets() -> None:
    from normcheck.text.script import looks_traditional, to_simplified

    t = "第一條　為了規範共享電動自行車停放秩序，制定本辦法。"
    s = to_simplified(t)
    assert len(s) == len(t) and s.startswith("第一条　为了规范") and looks_traditional(t)
    assert not looks_traditional(s)


@pytest.mark.timeout(10)
def test_api_check_of_a_fifo_does_not_hang_issue17(tmp_path: Path) -> None:
    import normcheck

    os.mkfifo(tmp_path / "p.txt")
    r = normcheck.check(str(tmp_path / "p.txt"))
    assert r.error is not None and r.error["code"] == "E010"


def test_chapter_heading_with_enumeration_comma_issue17() -> None:
    """Regression (issue 17): 第三章 教育内容、对象与形式 became a 款 and a false 缺少第X章 finding."""
    import normcheck

    text = ("某市测试条例\n第一章　总则\n第一条　为了测试，制定本条例。\n第二章　教育内容、对象与形式\n"
            "第二条　内容。\n第三章　附则\n第三条　本条例自公布之日起施行。\n")
    r = normcheck.check(text)
    assert r.error is None
    assert not [f for f in r.findings if "缺少第" in f.message], [f.message for f in r.findings]
    assert [c.id for c in r.clauses] == ["第一条", "第二条", "第三条"]
