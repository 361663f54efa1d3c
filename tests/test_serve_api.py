"""The workbench's REST API and pages through FastAPI's TestClient (issue 18, items 1-3).

No corpus (NORMCHECK_HOME points at an empty folder): the reference and consistency checks are skipped,
the authority and drafting checks still find problems in the sample draft, and every check is fast.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient

from normcheck.paths import data_file
from normcheck.serve.app import create_app
from normcheck.serve.outcomes import accepted_result, dataset_records, training_pairs
from normcheck.serve.store import Store

SAMPLE = data_file("sample_draft.txt").read_text(encoding="utf-8")


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setenv("NORMCHECK_HOME", str(tmp_path / "home"))
    root = tmp_path / "root"
    root.mkdir()
    return {"data": tmp_path / "data", "root": root, "tmp": tmp_path}


@pytest.fixture()
def client(env: dict[str, Path]) -> Any:
    app = create_app(env["data"], roots=[env["root"]], reviewer="测试员")
    with TestClient(app) as c:
        yield c


def _check(client: Any, text: str = SAMPLE, **form: str) -> dict[str, Any]:
    r = client.post("/api/check", data={"text": text, "as_of": "2026-12-01", **form})
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_check_text_returns_spec_object_and_document_endpoint(client: Any) -> None:
    res = _check(client, kind="municipal_rule", region="浙江")
    assert res["schema_version"] == 1 and res["error"] is None
    assert set(res) >= {"document", "clauses", "findings", "error"}
    assert res["document"]["kind"] == "municipal_rule" and res["document"]["region"] == "浙江"
    assert res["document"]["as_of"] == "2026-12-01"
    assert res["findings"] and all("severity" in f and "evidence" in f for f in res["findings"])
    doc_id = res["document"]["id"]
    got = client.get(f"/api/documents/{doc_id}")
    assert got.status_code == 200 and got.json() == res
    listing = client.get("/api/documents").json()
    assert [d["id"] for d in listing] == [doc_id] and listing[0]["n_findings"] == len(res["findings"])


def test_check_file_txt_and_docx(client: Any) -> None:
    r = client.post("/api/check", files={"file": ("草案.txt", SAMPLE.encode("gb18030"), "text/plain")})
    assert r.status_code == 200, r.text
    txt = r.json()
    assert txt["document"]["path"] == "草案.txt" and txt["findings"]
    import docx

    d = docx.Document()
    for line in SAMPLE.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    r = client.post("/api/check", files={"file": ("draft.docx", buf.getvalue(), "application/octet-stream")})
    assert r.status_code == 200, r.text
    assert [f["type"] for f in r.json()["findings"]] == [f["type"] for f in txt["findings"]]


@pytest.mark.parametrize(("form", "files", "status"), [
    ({}, None, 422),                                                       # neither
    ({"text": "第一条 x"}, {"file": ("a.txt", b"x", "text/plain")}, 422),    # both
    ({"text": SAMPLE, "kind": "no_such_kind"}, None, 422),
    ({"text": SAMPLE, "as_of": "2026-13-45"}, None, 422),
    ({}, {"file": ("a.pdf", b"%PDF-1.4", "application/pdf")}, 415),
    ({}, {"file": ("empty.txt", b"", "text/plain")}, 400),
])
def test_check_refuses_bad_input(client: Any, form: dict[str, str], files: Any, status: int) -> None:
    r = client.post("/api/check", data=form, files=files)
    assert r.status_code == status, r.text
    assert "detail" in r.json()


def test_upload_size_limit(client: Any, env: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NORMCHECK_MAX_BYTES", "1000")
    r = client.post("/api/check", files={"file": ("big.txt", ("第一条 " + "字" * 2000).encode(), "text/plain")})
    assert r.status_code == 413 and r.json()["code"] == "E004"
    assert not [p for p in (env["data"] / "uploads").rglob("*") if p.is_file()]  # nothing kept
    assert client.post("/api/check", data={"text": "第一条 " + "字" * 2000}).status_code == 413


@pytest.mark.parametrize("name", ["../../evil.txt", "..\\..\\evil.txt", "/etc/evil.txt", "sub/../../evil.txt",
                                  "....//....//evil.txt", "C:\\Windows\\evil.txt", "\x00evil.txt", ".evil.txt",
                                  "..", "evil.txt\u202e"])
def test_upload_never_writes_outside_the_data_folder(client: Any, env: dict[str, Path], name: str) -> None:
    """Regression (issue 18): path traversal in an upload's file name."""
    r = client.post("/api/check", files={"file": (name, SAMPLE.encode(), "text/plain")})
    assert r.status_code in (200, 415), r.text
    outside = [p for p in env["tmp"].rglob("*evil*") if "uploads" not in p.relative_to(env["tmp"]).parts]
    assert outside == []
    uploads = (env["data"] / "uploads").resolve()
    for p in uploads.rglob("*"):
        assert p.resolve().is_relative_to(uploads)
        if p.is_file():
            assert p.parent.parent == uploads and not p.name.startswith(".")
            assert "/" not in p.name and "\\" not in p.name and "\x00" not in p.name
    if r.status_code == 200:
        shown = r.json()["document"]["path"]
        assert "/" not in shown and "\\" not in shown and ".." not in shown.split(".")[0]


def test_folder_open_stays_under_the_allowed_roots(client: Any, env: dict[str, Path]) -> None:
    root = env["root"]
    (root / "a").mkdir()
    (root / "a" / "草案.txt").write_text(SAMPLE, encoding="utf-8")
    secret = env["tmp"] / "secret"
    secret.mkdir()
    (secret / "机密.txt").write_text(SAMPLE, encoding="utf-8")
    (root / "a" / "link.txt").symlink_to(secret / "机密.txt")  # a link out of the root is skipped
    r = client.post("/open", data={"folder": str(secret)}, follow_redirects=False)
    assert r.status_code == 403 and "allowed root" in r.text
    r = client.post("/open", data={"folder": str(root / "a" / ".." / ".." / "secret")}, follow_redirects=False)
    assert r.status_code == 403
    r = client.post("/open", data={"folder": str(root / "a")}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/?job=")
    job = r.headers["location"].split("=", 1)[1]
    _wait(client, job)
    names = [d["name"] for d in client.get("/api/documents").json()]
    assert names == ["草案.txt"]


def _wait(client: Any, job: str, timeout: float = 120) -> dict[str, Any]:
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        j = dict(client.get(f"/api/jobs/{job}").json())
        if j["state"] == "done":
            return j
        time.sleep(0.05)
    raise AssertionError(f"job {job} did not finish")


def test_upload_page_runs_a_job_with_progress(client: Any) -> None:
    r = client.post("/upload", files=[("files", ("a.txt", SAMPLE.encode(), "text/plain")),
                                      ("files", ("b.md", SAMPLE.encode(), "text/markdown"))],
                    data={"as_of": "2026-12-01"}, follow_redirects=False)
    assert r.status_code == 303
    job = r.headers["location"].split("=", 1)[1]
    assert 'data-job="' + job + '"' in client.get(r.headers["location"]).text
    j = _wait(client, job)
    assert j["total"] == j["done"] == 2 and j["errors"] == 0
    page = client.get("/").text
    assert page.count('class="doc-link"') == 2


def test_decisions_validate_record_who_and_version(client: Any) -> None:
    res = _check(client)
    doc_id, findings = res["document"]["id"], res["findings"]
    url = f"/api/documents/{doc_id}/decisions"
    ok = client.post(url, json={"action": "accept", "finding": 0, "reviewer": "李四"})
    assert ok.status_code == 201
    d = ok.json()
    assert d["reviewer"] == "李四" and d["at"].endswith("+00:00") and d["normcheck_version"]
    assert d["type"] == findings[0]["type"] and d["rule"] == findings[0]["rule"] and d["model"] == "rules"
    for body, status in [({"action": "reject", "finding": 1}, 422),          # no reason
                         ({"action": "maybe", "finding": 1}, 422),
                         ({"action": "accept", "finding": 999}, 422),
                         ({"action": "edit", "finding": 1}, 422),            # nothing edited
                         ({"action": "edit", "finding": 1, "edit": {"severity": "huge"}}, 422),
                         ({"action": "add", "clause": "第九十九条", "type": "drafting",
                           "edit": {"message": "x"}}, 422),
                         ({"action": "add", "clause": "第一条", "type": "drafting"}, 422)]:
        r = client.post(url, json=body)
        assert r.status_code == status, (body, r.text)
    assert client.post("/api/documents/nope/decisions", json={"action": "accept", "finding": 0}).status_code == 404
    assert client.post(url, json={"action": "reject", "finding": 1, "reason": "有上位法依据"}).status_code == 201
    assert client.post(url, json={"action": "edit", "finding": 2,
                                  "edit": {"message": "改写的问题", "severity": "high"}}).status_code == 201
    assert client.post(url, json={"action": "add", "clause": "第一条", "type": "drafting",
                                  "edit": {"message": "立法目的表述不规范"}}).status_code == 201
    # the latest decision on a finding is the one in force; history keeps both
    assert client.post(url, json={"action": "reject", "finding": 0, "reason": "复核后不成立"}).status_code == 201
    now = client.get(url).json()
    assert [(x["finding"], x["action"]) for x in now] == [(1, "reject"), (2, "edit"), (None, "add"), (0, "reject")]
    assert len(client.get(url, params={"history": "true"}).json()) == 5
    assert now[0]["reviewer"] == "测试员"  # the server's default reviewer when none is given


def test_opinion_has_only_accepted_findings(client: Any, env: dict[str, Path]) -> None:
    res = _check(client)
    doc_id, findings = res["document"]["id"], res["findings"]
    url = f"/api/documents/{doc_id}/decisions"
    acc = next(i for i, f in enumerate(findings) if f["severity"] == "high")
    rej = next(i for i, f in enumerate(findings) if i != acc and f["message"] != findings[acc]["message"])
    client.post(url, json={"action": "accept", "finding": acc})
    client.post(url, json={"action": "reject", "finding": rej, "reason": "不成立"})
    client.post(url, json={"action": "add", "clause": "第一条", "type": "drafting",
                           "edit": {"message": "审查人员补充的问题"}})
    r = client.get(f"/documents/{doc_id}/opinion.docx")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert findings[acc]["message"][:20] in text
    assert findings[rej]["message"][:20] not in text
    assert "审查人员补充的问题" in text and "共二项问题" in text
    assert "机器辅助审查结果，请审查人员复核" in text
    # the same through the library: the filtered Result
    store: Store = client.app.state.store
    row = store.document(doc_id)
    assert row is not None
    kept = accepted_result(row, store.decisions(doc_id))
    assert [f.message for f in kept.findings if f.rule != "reviewer"] == [findings[acc]["message"]]


def test_export_dataset_eval_and_precision(client: Any, env: dict[str, Path]) -> None:
    from typer.testing import CliRunner

    from normcheck.cli import app as cli
    from normcheck.evaluation.dataset import load_dataset

    res = _check(client)
    doc_id, findings = res["document"]["id"], res["findings"]
    url = f"/api/documents/{doc_id}/decisions"
    by_type: dict[str, int] = {}
    for i, f in enumerate(findings):
        by_type.setdefault(f["type"], i)
    types = list(by_type)
    client.post(url, json={"action": "accept", "finding": by_type[types[0]]})
    client.post(url, json={"action": "reject", "finding": by_type[types[1]], "reason": "不成立"})
    out = env["tmp"] / "export"
    out.mkdir()
    (out / "dataset.jsonl").write_bytes(client.get("/export/dataset.jsonl").content)
    (out / "predictions.jsonl").write_bytes(client.get("/export/predictions.jsonl").content)
    recs = load_dataset(out / "dataset.jsonl")
    assert len(recs) == 1 and recs[0].text == SAMPLE
    assert {(lab.type, lab.outcome) for lab in recs[0].labels} == {(types[0], "positive"), (types[1], "negative")}
    runner = CliRunner()
    r = runner.invoke(cli, ["eval", str(out / "dataset.jsonl"), "--predictions", str(out / "predictions.jsonl"),
                            "--json", "--resamples", "0", "-q"])
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout)
    assert rep["coverage"]["n_ok"] == 1 and rep["dataset"]["n_labels"] == 2
    r = runner.invoke(cli, ["eval", "--from-workbench", str(env["data"] / "workbench.sqlite")])
    assert r.exit_code == 0, r.output
    assert f"| {types[0]} |" in r.stdout and "1.000" in r.stdout and "0.000" in r.stdout
    r = runner.invoke(cli, ["eval", "--from-workbench", str(env["data"]), "--json"])  # the folder works too
    prec = json.loads(r.stdout)
    assert prec["total"] == {"accepted": 1, "rejected": 1, "added": 0, "precision": 0.5}
    r = runner.invoke(cli, ["eval", "--from-workbench", str(env["tmp"] / "none.sqlite")])
    assert r.exit_code == 1 and "E204" in r.output


def test_pairs_export_feeds_train(tmp_path: Path) -> None:
    """Decided consistency findings become {text_a, text_b, label} pairs that `normcheck train` loads."""
    from normcheck.ml.data import load_pairs

    store = Store(tmp_path / "wb.sqlite")
    clause = {"id": "第三条", "article": 3, "paragraph": None, "item": None, "text": "罚款五万元。", "start": 0,
              "end": 6, "score": 0.9, "rank": 1}
    finding = {"type": "inconsistent_with_superior", "clause": "第三条", "start": 0, "end": 6, "severity": "high",
               "confidence": 0.8, "message": "罚款数额超出上位法", "basis": "某法第十条",
               "evidence": [{"law": "某法", "version": "2020-01-01", "article": "第十条", "text": "罚款一万元。"}],
               "details": {"clause_marked": "罚款【五万】元。", "superior_marked": "罚款【一万】元。"}}
    result = {"schema_version": 1, "document": {"path": "x.txt", "title": "x", "kind": None, "kind_inferred": True,
                                                "as_of": "2026-01-01", "region": None, "sha256": ""},
              "clauses": [clause], "findings": [finding, {**finding, "start": 1}], "error": None}
    doc_id = store.add_document(name="x.txt", origin="api", text="罚款五万元。")
    store.set_result(doc_id, result, text="罚款五万元。", version="0.1.0")
    store.add_decision(doc_id, action="accept", finding=0, reviewer="a")
    store.add_decision(doc_id, action="reject", finding=1, reviewer="a", reason="数额一致")
    pairs = training_pairs(store)
    assert [p["label"] for p in pairs] == ["inconsistent", "consistent"]
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pairs), encoding="utf-8")
    splits = load_pairs(path)
    assert sum(len(v) for v in splits.values()) == 2
    recs = dataset_records(store)
    assert recs[0]["labels"][0]["clause"] == "第三条"


def test_document_page_escapes_and_marks(client: Any) -> None:
    evil = SAMPLE.replace("第一条　为了", "第一条　<script>alert(1)</script>为了", 1)
    res = _check(client, text=evil)
    r = client.get(f"/documents/{res['document']['id']}")
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    assert "<mark>" in r.text and 'id="accept-0"' in r.text and "补充问题" in r.text
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script src=\"/static/app.js\"" in r.text and "<script>" not in r.text.replace("&lt;script&gt;", "")


def test_form_decisions_and_reviewer_cookie(client: Any) -> None:
    res = _check(client)
    doc_id = res["document"]["id"]
    assert client.post("/reviewer", data={"name": "王五", "back": f"/documents/{doc_id}"},
                       follow_redirects=False).status_code == 303
    r = client.post(f"/documents/{doc_id}/decide", data={"action": "accept", "finding": "0"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("#f-0")
    r = client.post(f"/documents/{doc_id}/decide", data={"action": "reject", "finding": "1", "reason": ""})
    assert r.status_code == 422 and "reason" in r.text
    d = client.get(f"/api/documents/{doc_id}/decisions").json()
    assert [x["action"] for x in d] == ["accept"] and d[0]["reviewer"] == "王五"
    page = client.get(f"/documents/{doc_id}").text
    assert 'id="state-0"' in page and "已采纳" in page


def test_openapi_lists_the_api(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/check", "/api/documents/{doc_id}", "/api/documents/{doc_id}/decisions", "/api/decisions",
                 "/api/jobs/{job_id}", "/export/dataset.jsonl"):
        assert path in spec["paths"], path
    assert client.get("/docs").status_code == 404  # Swagger UI loads from a CDN: off


def test_token_is_required_when_configured(env: dict[str, Path]) -> None:
    token = "s3cret-token-0123456789"
    with TestClient(create_app(env["data"], token=token)) as c:
        assert c.get("/").status_code == 401
        assert c.get("/openapi.json").status_code == 401
        assert c.post("/api/check", data={"text": SAMPLE}).status_code == 401
        assert c.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/documents", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        assert c.get("/api/documents", headers={"X-Normcheck-Token": token}).status_code == 200
        r = c.get(f"/?token={token}")
        assert r.status_code == 200 and "normcheck_token" in r.headers.get("set-cookie", "")
        assert c.get("/api/documents").status_code == 200  # the cookie now


def test_host_header_and_cross_origin_posts_are_refused(env: dict[str, Path]) -> None:
    app = create_app(env["data"], allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        assert c.get("/").status_code == 200
        assert c.get("/", headers={"Host": "evil.example"}).status_code == 400  # DNS rebinding
        r = c.post("/sample", headers={"Origin": "http://evil.example"}, follow_redirects=False)
        assert r.status_code == 403
        r = c.post("/sample", headers={"Sec-Fetch-Site": "cross-site"}, follow_redirects=False)
        assert r.status_code == 403
        r = c.post("/sample", headers={"Origin": "http://127.0.0.1:8765"}, follow_redirects=False)
        assert r.status_code == 303


def test_serve_refuses_non_loopback_without_token(env: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from normcheck.cli import app as cli
    from normcheck.serve.server import build_app, is_loopback, settings

    monkeypatch.delenv("NORMCHECK_SERVE_TOKEN", raising=False)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.1.2.3")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10") and not is_loopback("example.com")
    with pytest.raises(ValueError, match="E205"):
        settings("0.0.0.0", None)
    with pytest.raises(ValueError, match="at least 16"):
        settings("127.0.0.1", "short")
    assert settings("0.0.0.0", "a-long-enough-token-123")[1] is None
    monkeypatch.setenv("NORMCHECK_SERVE_TOKEN", "from-the-environment-123")
    assert settings("127.0.0.1", None)[0] == "from-the-environment-123"
    monkeypatch.delenv("NORMCHECK_SERVE_TOKEN")
    r = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--data-dir", str(env["data"])])
    assert r.exit_code == 2 and "not a loopback address" in r.output
    app = build_app(data_dir=env["data"], roots=[env["root"]])
    assert app.state.data_dir == env["data"].resolve()
