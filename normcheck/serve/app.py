"""The workbench (server-side Jinja2 pages) and the REST API, one FastAPI application.

Security (the server holds drafts before they are public):
- binds 127.0.0.1 by default; ``normcheck serve`` refuses another address unless a token is configured,
  and with a token every request must carry it (``Authorization: Bearer``, ``X-Normcheck-Token``, or the
  cookie set by opening ``/?token=…`` once);
- on loopback the ``Host`` header must name the loopback (no DNS rebinding), and a state-changing request
  from another origin (``Origin`` / ``Sec-Fetch-Site``) is refused (no cross-site form posts);
- every page is rendered with autoescaping and sent with a Content-Security-Policy that allows only the
  server's own script and style; no inline script, no external asset (Swagger's /docs page, which loads
  from a CDN, is off; the schema is at ``/openapi.json``);
- uploads are written only under ``<data>/uploads`` (:mod:`normcheck.serve.files`), folders are opened only
  under the allowed roots.
"""

from __future__ import annotations

import contextlib
import getpass
import hmac
import io
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, unquote, urlsplit

from fastapi import Body, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader
from pydantic import BaseModel, Field

import normcheck
from normcheck.errors import Code, NormcheckError
from normcheck.serve import files, outcomes
from normcheck.serve.jobs import Runner
from normcheck.serve.store import ACTIONS, DecisionError, Store
from normcheck.types.findings import FindingType, Severity

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_STATUS = {Code.TOO_LARGE: 413, Code.UNSUPPORTED_TYPE: 415, Code.FILE_NOT_FOUND: 404, Code.READ_FAILED: 403}


class EditIn(BaseModel):
    message: str | None = Field(None, description="the finding's message as the reviewer words it")
    severity: str | None = Field(None, description="high | medium | low")
    type: str | None = Field(None, description="a finding type of spec/output.md")
    basis: str | None = Field(None, description="the rule basis, e.g. 行政处罚法第十六条")


class DecisionIn(BaseModel):
    action: str = Field(..., description="accept | reject | edit | add")
    finding: int | None = Field(None, description="index into the result's findings (not for add)")
    reason: str | None = Field(None, description="required for reject")
    edit: EditIn | None = Field(None, description="edited fields (edit), or the added problem (add)")
    clause: str | None = Field(None, description="add: the clause ID the problem is on (null = the document)")
    type: str | None = Field(None, description="add: the finding type")
    reviewer: str | None = Field(None, description="who decides (default: the reviewer cookie, else the server's)")


def _host_of(value: str) -> str:
    if value.startswith("["):
        return value[: value.find("]") + 1]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def _pieces(text: str, start: int, spans: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, marked) with the spans (original offsets) marked, merged and clipped."""
    from normcheck.report.spans import marked_pieces

    return marked_pieces(text, start, spans)


_BRACKETS = re.compile(r"【(.*?)】", re.S)


def _diff_pieces(marked: str) -> list[tuple[str, bool]]:
    """A ``clause_marked`` / ``superior_marked`` text (differences in 【】) as (piece, marked);
    an empty 【】 (nothing there in that text) becomes a marked （无）."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _BRACKETS.finditer(marked):
        if m.start() > pos:
            out.append((marked[pos:m.start()], False))
        out.append((m.group(1) or "（无）", True))
        pos = m.end()
    if pos < len(marked):
        out.append((marked[pos:], False))
    return out


def create_app(data_dir: str | Path, *, token: str | None = None, roots: Sequence[str | Path] = (),
               corpus: Any = None, allowed_hosts: Sequence[str] | None = None,
               reviewer: str | None = None) -> FastAPI:
    """The workbench application over ``data_dir`` (created if needed: ``workbench.sqlite`` and
    ``uploads/``). ``roots``: folders "open a folder" may read under. ``allowed_hosts``: the names the
    ``Host`` header may carry (None: any; ``normcheck serve`` passes the loopback names on loopback).
    ``corpus``: passed to :func:`normcheck.check` (None: the default index)."""
    from normcheck.pipeline import check, parse_date
    from normcheck.report.labels import (
        CAVEAT,
        LEGEND_PRIORITY,
        LEGEND_RANK,
        LEGEND_SCORE,
        LOW_CONFIDENCE,
        TYPE_LABELS,
        cn_date,
        evidence_heading,
        is_provision_text,
        kind_label,
        severity_label,
        type_label,
    )
    from normcheck.text.read import max_bytes_default, read_text
    from normcheck.types.law import Level

    data = Path(data_dir).expanduser().resolve()
    data.mkdir(parents=True, exist_ok=True)
    uploads = data / "uploads"
    uploads.mkdir(exist_ok=True)
    store = Store(data / "workbench.sqlite")
    root_paths = files.roots_of(roots)
    default_reviewer = reviewer or getpass.getuser()
    hosts = {h.lower() for h in allowed_hosts} if allowed_hosts is not None else None

    def check_one(doc_id: str) -> dict[str, Any]:
        row = store.document(doc_id)
        if row is None:
            raise KeyError(doc_id)
        store.set_status(doc_id, "running")
        text: str | None = row.text
        try:
            if row.path:
                source: str = row.path
                try:
                    text = read_text(row.path)[0]
                except NormcheckError:
                    text = None  # check() reports the same error in the result
            else:
                source = row.text or ""
            res = check(source, kind=row.kind, as_of=row.as_of, region=row.region, corpus=corpus).to_dict()
        except Exception as exc:  # never leave a document "running"
            res = {"schema_version": 1, "document": {"path": row.name, "title": "", "kind": row.kind,
                                                     "kind_inferred": False, "as_of": row.as_of or "",
                                                     "region": row.region, "sha256": ""},
                   "clauses": [], "findings": [], "priority": 0.0, "notes": [],
                   "error": {"code": Code.INTERNAL.value, "message": f"{type(exc).__name__}: {exc}"}}
        doc = res.setdefault("document", {})
        if row.origin != "folder":
            doc["path"] = row.name  # never show where the server keeps an upload
        doc["id"] = doc_id
        store.set_result(doc_id, res, text=text, version=normcheck.__version__)
        return res

    runner = Runner(store, check_one)
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.globals.update(type_label=type_label, severity_label=severity_label, kind_label=kind_label,
                       cn_date=cn_date, TYPE_LABELS=TYPE_LABELS, SEVERITIES=[s.value for s in Severity],
                       CAVEAT=CAVEAT, LEGEND_RANK=LEGEND_RANK, LEGEND_SCORE=LEGEND_SCORE,
                       LEGEND_PRIORITY=LEGEND_PRIORITY, version=normcheck.__version__)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        runner.shutdown()

    app = FastAPI(title="normcheck workbench", version=normcheck.__version__, docs_url=None, redoc_url=None,
                  lifespan=lifespan,
                  description="Review normcheck's findings, record decisions, and check documents for filing "
                              "platforms. Schema of a result: shared/spec/output.md.")
    app.state.store, app.state.runner, app.state.data_dir = store, runner, data

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        host = _host_of(request.headers.get("host", "")).lower()
        if hosts is not None and host not in hosts:
            return PlainTextResponse("Host not allowed (this server answers only on its own address)", 400)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("origin")
            if request.headers.get("sec-fetch-site") == "cross-site" or (
                    origin and origin != "null" and urlsplit(origin).netloc.lower() != request.headers.get(
                        "host", "").lower()):
                return PlainTextResponse("cross-origin request refused", 403)
        set_cookie = False
        if token:
            given = (request.headers.get("x-normcheck-token") or request.cookies.get("normcheck_token")
                     or request.headers.get("authorization", "").removeprefix("Bearer ").strip())
            if request.method == "GET" and request.query_params.get("token"):
                given, set_cookie = request.query_params["token"], True
            if not given or not hmac.compare_digest(given.encode(), token.encode()):
                return PlainTextResponse("token required: send Authorization: Bearer <token> "
                                         "(or open /?token=<token> once in the browser)", 401,
                                         headers={"WWW-Authenticate": "Bearer"})
        response = await call_next(request)
        if set_cookie and token:
            response.set_cookie("normcheck_token", token, httponly=True, samesite="strict")
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        return response

    def page(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(**ctx), status_code=status)

    def who(request: Request, given: str | None = None) -> str:
        cookie = unquote(request.cookies.get("reviewer") or "")  # set percent-encoded by /reviewer
        return (given or cookie or default_reviewer).strip()[:100]

    def options(kind: str | None, as_of: str | None, region: str | None) -> tuple[str | None, str, str | None]:
        """Validated (kind code, as_of, region); ValueError with the valid options."""
        k = Level.parse(kind).value if kind and kind.strip() else None
        return k, parse_date(as_of.strip() if as_of and as_of.strip() else None), (region or "").strip() or None

    def error_status(exc: NormcheckError) -> int:
        return _STATUS.get(exc.code, 400)

    # ---------------------------------------------------------------- pages
    def index_page(request: Request, status: int = 200, error: str | None = None, job: str | None = None
                   ) -> HTMLResponse:
        docs = store.documents()
        decided: dict[str, int] = {}
        for d in store.decisions():
            decided[d.document_id] = decided.get(d.document_id, 0) + 1
        return page("index.html", status, docs=[d.summary() for d in docs], decided=decided, error=error,
                    job=job if job in runner.jobs else None, roots=[str(r) for r in root_paths],
                    reviewer=who(request), n_decisions=store.count_decisions(),
                    kinds=[(lv.value, lv.chinese) for lv in Level])

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request, job: str | None = None) -> HTMLResponse:
        return index_page(request, job=job)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        kinds = {"app.js": "text/javascript", "style.css": "text/css"}
        if name not in kinds:
            raise HTTPException(404)
        return Response((HERE / "static" / name).read_bytes(), media_type=kinds[name])

    def start(doc_ids: list[str]) -> RedirectResponse:
        job = runner.submit(doc_ids)
        return RedirectResponse(f"/?job={job.id}", status_code=303)

    @app.post("/upload", include_in_schema=False)
    def upload(request: Request, files_: Annotated[list[UploadFile], File(alias="files")],
               kind: Annotated[str | None, Form()] = None, as_of: Annotated[str | None, Form()] = None,
               region: Annotated[str | None, Form()] = None) -> Response:
        try:
            k, a, r = options(kind, as_of, region)
            ids = [_store_upload(f, k, a, r, "upload") for f in files_ if f.filename]
        except NormcheckError as exc:
            return index_page(request, error_status(exc), error=str(exc))
        except ValueError as exc:
            return index_page(request, 400, error=str(exc))
        if not ids:
            return index_page(request, 400, error="choose at least one .docx, .txt or .md file")
        return start(ids)

    def _store_upload(f: UploadFile, kind: str | None, as_of: str, region: str | None, origin: str) -> str:
        import uuid

        doc_id = uuid.uuid4().hex[:16]
        name = files.safe_name(f.filename or "document.txt")
        path = files.save_upload(f.file, f.filename or name, uploads, doc_id)
        return store.add_document(name=name, origin=origin, path=str(path), kind=kind, as_of=as_of, region=region,
                                  doc_id=doc_id)

    @app.post("/open", include_in_schema=False)
    def open_folder(request: Request, folder: Annotated[str, Form()], kind: Annotated[str | None, Form()] = None,
                    as_of: Annotated[str | None, Form()] = None, region: Annotated[str | None, Form()] = None
                    ) -> Response:
        try:
            k, a, r = options(kind, as_of, region)
            base = files.allowed_folder(folder, root_paths)
            found = files.folder_files(base, root_paths)
        except NormcheckError as exc:
            return index_page(request, error_status(exc), error=str(exc))
        except ValueError as exc:
            return index_page(request, 400, error=str(exc))
        if not found:
            return index_page(request, 404, error=f"no .docx, .txt or .md files under {base}")
        ids = [store.add_document(name=str(p.relative_to(base)), origin="folder", path=str(p), kind=k, as_of=a,
                                  region=r) for p in found]
        return start(ids)

    @app.post("/sample", include_in_schema=False)
    def sample(request: Request) -> Response:
        from normcheck.paths import data_file

        p = data_file("sample_draft.txt")
        doc_id = store.add_document(name="sample_draft.txt", origin="upload", text=p.read_text(encoding="utf-8"))
        return start([doc_id])

    @app.post("/reviewer", include_in_schema=False)
    def set_reviewer(name: Annotated[str, Form()], back: Annotated[str, Form()] = "/") -> Response:
        target = back if back.startswith("/") and not back.startswith("//") else "/"
        resp = RedirectResponse(target, status_code=303)
        if name.strip():
            resp.set_cookie("reviewer", quote(name.strip()[:100]), samesite="strict", httponly=True)
        return resp

    def document_view(row: Any) -> dict[str, Any]:
        res = row.result or {}
        findings = res.get("findings") or []
        in_force = {d.finding: d for d in store.decisions(row.id) if d.finding is not None}
        added = [d for d in store.decisions(row.id) if d.action == "add"]
        from normcheck.report.jsonl import load_result

        typed = load_result(res) if res and not res.get("error") else None
        loose, per = typed.findings_by_section() if typed else ([], {})

        def fview(i: int) -> dict[str, Any]:
            f = findings[i]
            det = f.get("details") or {}
            evs = [{"heading": evidence_heading(e, " "), "text": e.get("text") or "", "quote": is_provision_text(e),
                    "law": e.get("law") or ""} for e in f.get("evidence") or []]
            diff = None
            if det.get("clause_marked") or det.get("superior_marked"):
                diff = {"clause": _diff_pieces(str(det.get("clause_marked") or "")),
                        "superior": _diff_pieces(str(det.get("superior_marked") or "")),
                        "notes": list(dict.fromkeys(str(x.get("note")) for x in det.get("differences") or []
                                                    if isinstance(x, dict) and x.get("note")))}
            return {"i": i, "f": f, "evidence": evs, "diff": diff, "decision": in_force.get(i),
                    "verify": float(f.get("confidence") or 0) < LOW_CONFIDENCE}

        clauses = []
        for c in sorted(res.get("clauses") or [], key=lambda c: (c.get("rank") or 10**9, c["start"])):
            mine = per.get(c["id"], [])
            spans = [(findings[i]["start"], findings[i]["end"]) for i in mine]
            clauses.append({"c": c, "pieces": _pieces(c["text"], c["start"], spans),
                            "findings": [fview(i) for i in mine],
                            "added": [d for d in added if d.clause == c["id"]]})
        flagged = [c for c in clauses if c["findings"] or c["added"]]
        rest = [c for c in clauses if not (c["findings"] or c["added"])]
        n_decided = sum(1 for i in in_force if i is not None)
        return {"row": row, "res": res, "doc": res.get("document") or {}, "loose": [fview(i) for i in loose],
                "added_doc": [d for d in added if d.clause is None], "flagged": flagged, "rest": rest,
                "n_findings": len(findings), "n_decided": n_decided, "n_added": len(added),
                "types": [t.value for t in FindingType]}

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str) -> HTMLResponse:
        row = store.document(doc_id)
        if row is None:
            raise HTTPException(404, "no such document")
        return page("document.html", **document_view(row), reviewer=who(request))

    @app.post("/documents/{doc_id}/decide", include_in_schema=False)
    def decide_form(request: Request, doc_id: str, action: Annotated[str, Form()],
                    finding: Annotated[str | None, Form()] = None, reason: Annotated[str | None, Form()] = None,
                    message: Annotated[str | None, Form()] = None, severity: Annotated[str | None, Form()] = None,
                    type: Annotated[str | None, Form()] = None, basis: Annotated[str | None, Form()] = None,
                    clause: Annotated[str | None, Form()] = None) -> Response:
        try:
            n = int(finding) if finding not in (None, "") else None
            d = store.add_decision(doc_id, action=action, reviewer=who(request), finding=n, reason=reason,
                                   edit={"message": message, "severity": severity, "basis": basis,
                                         "type": type if action == "edit" else None},
                                   clause=clause or None, type=type if action == "add" else None)
        except (DecisionError, ValueError) as exc:
            row = store.document(doc_id)
            if row is None:
                raise HTTPException(404, "no such document") from None
            return page("document.html", 422, **document_view(row), reviewer=who(request), error=str(exc))
        anchor = f"f-{d.finding}" if d.finding is not None else f"c-{d.clause or 'doc'}"
        return RedirectResponse(f"/documents/{doc_id}#{quote(anchor)}", status_code=303)

    def opinion_response(doc_ids: list[str], request: Request, filename: str) -> Response:
        from normcheck.report.docx_report import opinion

        results = []
        for doc_id in doc_ids:
            row = store.document(doc_id)
            if row is None or row.result is None:
                raise HTTPException(404, f"document {doc_id} has no result")
            if row.result.get("error"):
                continue
            results.append(outcomes.accepted_result(row, store.decisions(doc_id)))
        buf = io.BytesIO()
        opinion(results, reviewer=who(request)).save(buf)
        return Response(buf.getvalue(), media_type=DOCX_TYPE,
                        headers={"Content-Disposition": f"attachment; filename=\"opinion.docx\"; "
                                                        f"filename*=UTF-8''{quote(filename)}"})

    @app.get("/documents/{doc_id}/opinion.docx", tags=["reports"],
             summary="The 审查意见 of a document: only the findings the reviewer accepted (edits applied) and "
                     "the problems the reviewer added")
    def document_opinion(request: Request, doc_id: str) -> Response:
        row = store.document(doc_id)
        if row is None:
            raise HTTPException(404, "no such document")
        stem = Path(row.name).stem or "document"
        return opinion_response([doc_id], request, f"{stem}.审查意见.docx")

    # ---------------------------------------------------------------- exports
    @app.get("/export/dataset.jsonl", tags=["exports"], summary="Decisions as an eval dataset (eval/README.md)")
    def export_dataset() -> Response:
        return _attachment(outcomes.dataset_jsonl(store), "dataset.jsonl")

    @app.get("/export/predictions.jsonl", tags=["exports"],
             summary="The results the decisions were made on (for `normcheck eval --predictions`)")
    def export_predictions() -> Response:
        ids = {r["id"] for r in outcomes.dataset_records(store)}
        rows = outcomes.predictions(store, ids)
        return _attachment("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "predictions.jsonl")

    @app.get("/export/pairs.jsonl", tags=["exports"], summary="Decided consistency findings for `normcheck train`")
    def export_pairs() -> Response:
        rows = outcomes.training_pairs(store)
        return _attachment("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "pairs.jsonl")

    # ---------------------------------------------------------------- API
    @app.post("/api/check", tags=["api"], summary="Check one document; returns the result of spec/output.md "
              "(plus document.id for GET /api/documents/{id})")
    def api_check(file: Annotated[UploadFile | None, File(description=".docx, .txt or .md")] = None,
                  text: Annotated[str | None, Form(description="the document text, instead of a file")] = None,
                  kind: Annotated[str | None, Form(description="a kind code or Chinese name")] = None,
                  as_of: Annotated[str | None, Form(description="YYYY-MM-DD (default today)")] = None,
                  region: Annotated[str | None, Form()] = None) -> Response:
        has_file = file is not None and bool(file.filename)
        if has_file == bool(text and text.strip()):
            return JSONResponse({"detail": "give exactly one of: a multipart 'file' or a form field 'text'"}, 422)
        try:
            k, a, r = options(kind, as_of, region)
            if has_file and file is not None:
                doc_id = _store_upload(file, k, a, r, "api")
            else:
                body = str(text)
                if len(body.encode("utf-8")) > max_bytes_default():
                    raise NormcheckError(Code.TOO_LARGE, f"the text is over the size limit of {max_bytes_default()} "
                                         "bytes (NORMCHECK_MAX_BYTES)", "text")
                doc_id = store.add_document(name="text", origin="api", text=body, kind=k, as_of=a, region=r)
        except NormcheckError as exc:
            return JSONResponse({"detail": str(exc), "code": exc.code.value}, error_status(exc))
        except ValueError as exc:
            return JSONResponse({"detail": str(exc)}, 422)
        res = runner.run_now(doc_id).result(timeout=900)
        return JSONResponse(res, headers={"Location": f"/api/documents/{doc_id}"})

    @app.get("/api/documents", tags=["api"], summary="Documents, highest priority first")
    def api_documents() -> list[dict[str, Any]]:
        return [d.summary() for d in store.documents()]

    @app.get("/api/documents/{doc_id}", tags=["api"],
             summary="A document's result (spec/output.md); 202 with its status while it is being checked")
    def api_document(doc_id: str) -> Response:
        row = store.document(doc_id)
        if row is None:
            return JSONResponse({"detail": f"no document {doc_id!r}"}, 404)
        if row.result is None:
            return JSONResponse(row.summary(), 202)
        return JSONResponse(row.result)

    @app.get("/api/documents/{doc_id}/decisions", tags=["api"],
             summary="The decisions in force on a document (history=true: every decision)")
    def api_doc_decisions(doc_id: str, history: bool = False) -> Response:
        if store.document(doc_id) is None:
            return JSONResponse({"detail": f"no document {doc_id!r}"}, 404)
        return JSONResponse([d.to_dict() for d in store.decisions(doc_id, history=history)])

    @app.post("/api/documents/{doc_id}/decisions", tags=["api"], status_code=201,
              summary=f"Record a decision ({', '.join(ACTIONS)}); answered after it is durably stored")
    def api_decide(request: Request, doc_id: str, body: Annotated[DecisionIn, Body()]) -> Response:
        edit = body.edit.model_dump() if body.edit else {}
        try:
            d = store.add_decision(doc_id, action=body.action, reviewer=who(request, body.reviewer),
                                   finding=body.finding, reason=body.reason, edit=edit, clause=body.clause,
                                   type=body.type)
        except DecisionError as exc:
            status = 404 if str(exc).startswith("no document") else 422
            return JSONResponse({"detail": str(exc)}, status)
        return JSONResponse(d.to_dict(), 201)

    @app.get("/api/decisions", tags=["api"], summary="Every decision in force (history=true: all)")
    def api_decisions(history: bool = False) -> list[dict[str, Any]]:
        return [d.to_dict() for d in store.decisions(history=history)]

    @app.get("/api/precision", tags=["api"], summary="Precision by finding type from accepted/rejected findings")
    def api_precision() -> dict[str, Any]:
        return outcomes.precision_by_type(store)

    @app.get("/api/jobs/{job_id}", tags=["api"], summary="Progress of a batch of checks")
    def api_job(job_id: str) -> Response:
        job = runner.jobs.get(job_id)
        if job is None:
            return JSONResponse({"detail": f"no job {job_id!r}"}, 404)
        return JSONResponse(job.to_dict())

    return app


def _attachment(body: str, name: str) -> Response:
    return Response(body.encode("utf-8"), media_type="application/x-ndjson; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
