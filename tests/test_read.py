"""Reading files: encodings, .docx, and bad input -> coded errors naming the file (issue 2)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from normcheck.errors import Code, InputError
from normcheck.structure.load import read_document
from normcheck.text.read import decode_bytes, read_text

TEXT = "某市测试管理办法\n第一条　为了规范管理，制定本办法。\n第二条　本办法自2025年1月1日起施行。\n"


@pytest.mark.parametrize(("encoding", "data", "detected"), [
    ("utf-8", TEXT.encode("utf-8"), "utf-8"),
    ("utf-8-sig", b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    ("gbk", TEXT.encode("gbk"), "gb18030"),
    ("gb18030", TEXT.encode("gb18030"), "gb18030"),
    ("utf-16 LE BOM", b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le"),
    ("utf-16 BE BOM", b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be"),
    ("utf-16 LE no BOM", TEXT.encode("utf-16-le"), "utf-16-le"),
    ("utf-16 BE no BOM", TEXT.encode("utf-16-be"), "utf-16-be"),
    ("utf-16 LE no BOM, no NUL (all CJK)", "第一条规定管理办法施行。".encode("utf-16-le"), "utf-16-le"),
])
def test_decode(encoding: str, data: bytes, detected: str) -> None:
    text, enc = decode_bytes(data, "x.txt")
    assert enc == detected, encoding
    assert "第一条" in text


@pytest.mark.parametrize(("name", "data"), [
    ("a.txt", TEXT.encode("gbk")),
    ("a.md", TEXT.encode("utf-16")),
    ("a", TEXT.encode("utf-8")),
])
def test_read_text_files(tmp_path: Path, name: str, data: bytes) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    text, info = read_text(p)
    assert text.replace("\r", "") == TEXT
    assert info.source_format == ("md" if name.endswith(".md") else "txt")


def _bad(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _bomb(tmp_path: Path) -> Path:
    p = tmp_path / "bomb.docx"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"\0" * 3_000_000)
    return p


@pytest.mark.parametrize(("name", "data", "code"), [
    ("empty.txt", b"", Code.EMPTY_FILE),
    ("blank.txt", b" \n\t\n", Code.EMPTY_FILE),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, Code.BINARY_FILE),
    ("nul.txt", b"abc\x00\x01\x02\x03\xff\xfe\x00" * 50 + b"\x00", Code.BINARY_FILE),
    ("noise.txt", bytes((i * 37 + 11) % 256 for i in range(4001)), None),  # BINARY or UNDECODABLE
    ("fake.docx", b"this is not a zip file at all", Code.BAD_DOCX),
    ("old.doc", b"\xd0\xcf\x11\xe0 whatever", Code.UNSUPPORTED_TYPE),
])
def test_bad_input(tmp_path: Path, name: str, data: bytes, code: Code | None) -> None:
    p = _bad(tmp_path, name, data)
    with pytest.raises(InputError) as exc:
        read_text(p)
    if code is None:
        assert exc.value.code in (Code.BINARY_FILE, Code.UNDECODABLE)
    else:
        assert exc.value.code == code
    assert exc.value.path == str(p)
    assert str(p) in str(exc.value)


def test_missing_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        read_text(tmp_path / "nope.txt")
    assert exc.value.code == Code.FILE_NOT_FOUND
    with pytest.raises(InputError) as exc:
        read_text(tmp_path)
    assert exc.value.code == Code.UNSUPPORTED_TYPE


def test_zip_bomb_refused_before_unzipping(tmp_path: Path) -> None:
    p = _bomb(tmp_path)
    assert p.stat().st_size < 100_000
    with pytest.raises(InputError) as exc:
        read_text(p, max_bytes=200_000)
    assert exc.value.code == Code.ZIP_BOMB
    assert str(p) in str(exc.value)


def test_zip_without_document(tmp_path: Path) -> None:
    p = tmp_path / "x.docx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(InputError) as exc:
        read_text(p)
    assert exc.value.code == Code.BAD_DOCX


def test_size_limit_and_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "a.txt"
    p.write_text(TEXT * 10, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_text(p, max_bytes=100)
    assert exc.value.code == Code.TOO_LARGE
    monkeypatch.setenv("NORMCHECK_MAX_BYTES", "100")
    with pytest.raises(InputError) as exc:
        read_text(p)
    assert exc.value.code == Code.TOO_LARGE
    assert read_text(p, max_bytes=10_000)[0].startswith("某市")
    monkeypatch.setenv("NORMCHECK_MAX_BYTES", "lots")
    with pytest.raises(ValueError, match="NORMCHECK_MAX_BYTES"):
        read_text(p)


def _make_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("某市测试办法")
    d.add_paragraph("第一章　总则")
    d.add_paragraph("第一条　为了规范管理，制定本办法。")
    d.add_paragraph("第二条　收费标准如下表：")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "项目"
    table.cell(0, 1).text = "标准"
    table.cell(1, 0).text = "停车费"
    table.cell(1, 1).text = "每小时5元"
    d.add_paragraph("有下列情形之一的，不予办理：")
    d.add_paragraph("（一）材料不全的；")
    d.add_paragraph("（二）逾期申请的。")
    d.add_paragraph("第三条　本办法自2025年1月1日起施行。")
    d.save(str(path))


def test_docx_paragraphs_and_table(tmp_path: Path) -> None:
    p = tmp_path / "draft.docx"
    _make_docx(p)
    text, info = read_text(p)
    assert info.source_format == "docx"
    assert "停车费\t每小时5元" in text
    doc = read_document(p)
    assert [a.id for a in doc.articles()] == ["第一条", "第二条", "第三条"]
    art2 = doc.clause("第二条")
    kinds = [c.kind.value for c in art2.children]
    assert kinds == ["款", "款", "款", "款"]  # lead-in, two table rows, paragraph with items
    assert doc.node_text(art2.children[2]) == "停车费\t每小时5元"
    assert doc.clause("第二条第四款第（二）项").number == 2
    assert doc.meta.effective == "2025-01-01"
    assert doc.meta.source_format == "docx"


def test_docx_word_numbering_recovered(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.add_paragraph("某市办法")
    numbering = d.part.numbering_part.element
    numbering.append(parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1条"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    for body in ("为了规范管理，制定本办法。", "本办法适用于本市。", "本办法自2025年1月1日起施行。"):
        para = d.add_paragraph(body)
        para._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="77"/></w:numPr>'))
    p = tmp_path / "numbered.docx"
    d.save(str(p))
    doc = read_document(p)
    assert [a.id for a in doc.articles()] == ["第一条", "第二条", "第三条"]
