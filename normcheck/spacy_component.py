"""normcheck as a spaCy pipeline component (issue 18, item 6), for developers who process legal text in spaCy.

    import spacy
    nlp = spacy.blank("zh")
    nlp.add_pipe("normcheck", config={"kind": "municipal_rule", "as_of": "2026-11-28"})
    doc = nlp(text)
    doc.spans["nc_clauses"]     # every clause (条/款/项/目), label = clause ID (第十二条第二款)
    doc.spans["nc_citations"]   # citations, label = LAW | INTERNAL | UNNAMED
    doc.spans["nc_findings"]    # findings, label = finding type (penalty_setting, ...)
    span._.normcheck            # that clause's / citation's / finding's attributes (a dict)
    doc._.normcheck             # the whole result (the spec/output.md object)
    spacy.displacy.render(doc, style="span", options={"spans_key": "nc_citations"})

The factory is registered under the name ``normcheck`` through the ``spacy_factories`` entry point (so
``add_pipe("normcheck")`` works without importing this module) and when this module is imported. spaCy is
an optional extra (``pip install 'normcheck[spacy]'``); nothing else in normcheck imports it.

Offsets: normcheck works on characters; each span is ``doc.char_span(start, end, alignment_mode="expand")``
over the spaCy Doc's text, which is exactly the text normcheck checked (the component never reads files),
so with the default character tokenizer of ``spacy.blank("zh")`` the spans are exact. Cost: the checks
themselves; ``scripts/bench_spacy.py`` measures the component against ``normcheck.check`` on the same text.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

EXTENSION = "normcheck"
CLAUSES, CITATIONS, FINDINGS = "nc_clauses", "nc_citations", "nc_findings"
_CITATION_LABELS = {"law": "LAW", "internal": "INTERNAL", "unnamed": "UNNAMED"}


def _extensions() -> None:
    if not Doc.has_extension(EXTENSION):
        Doc.set_extension(EXTENSION, default=None)
    if not Span.has_extension(EXTENSION):
        Span.set_extension(EXTENSION, default=None)


def _citation_dict(c: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"kind": c.kind, "start": c.start, "end": c.end, "clause": c.clause}
    for name in ("title", "issuer", "form", "word", "phrase"):
        if getattr(c, name, None):
            d[name] = getattr(c, name)
    refs = getattr(c, "refs", ())
    if refs:
        d["refs"] = [{"article": r.article, "suffix": r.suffix, "paragraph": r.paragraph, "item": r.item}
                     for r in refs]
    return d


class NormcheckComponent:
    """Runs normcheck on ``doc.text`` and writes span groups and ``._.normcheck`` attributes."""

    def __init__(self, nlp: Language, name: str, *, kind: str | None = None, as_of: str | None = None,
                 region: str | None = None, corpus: str | None = None, checks: list[str] | None = None) -> None:
        from normcheck.pipeline import parse_date, selected_checks
        from normcheck.types.law import Level

        self.name = name
        self.kind = Level.parse(kind) if kind else None
        self.as_of = parse_date(as_of) if as_of else None
        self.region = region
        self.corpus = corpus
        self.checks = selected_checks(checks)  # ValueError listing the registry on an unknown name
        _extensions()

    def __call__(self, doc: Doc) -> Doc:
        from normcheck.cite import find_citations
        from normcheck.pipeline import check_document, parse_date
        from normcheck.structure.segment import segment_text
        from normcheck.types.findings import DocumentInfo

        text = doc.text
        nc_doc = segment_text(text)
        info = DocumentInfo(path=None, title="", kind=self.kind.value if self.kind else None, kind_inferred=False,
                            as_of=self.as_of or parse_date(None), region=self.region, sha256="")
        result = check_document(nc_doc, info=info, kind=self.kind, region=self.region, corpus=self.corpus,
                                fns=self.checks)
        citations = find_citations(nc_doc)

        def span(start: int, end: int, label: str, key: str, attrs: dict[str, Any]) -> Span | None:
            s = doc.char_span(start, end, label=label, alignment_mode="expand", span_id=key)
            if s is None or len(s) == 0:
                return None
            s._.set(EXTENSION, attrs)
            return s

        clauses = [span(c.start, c.end, c.id, f"clause:{c.id}", c.to_dict()) for c in result.clauses]
        cites = [span(c.start, c.end, _CITATION_LABELS.get(c.kind, c.kind.upper()), f"citation:{i}",
                      _citation_dict(c)) for i, c in enumerate(citations)]
        finds = [span(f.start, f.end, f.type.value, f"finding:{i}", f.to_dict()) for i, f in enumerate(result.findings)]
        doc.spans[CLAUSES] = [s for s in clauses if s is not None]
        doc.spans[CITATIONS] = [s for s in cites if s is not None]
        doc.spans[FINDINGS] = [s for s in finds if s is not None]
        doc._.set(EXTENSION, result.to_dict())
        return doc


@Language.factory("normcheck", default_config={"kind": None, "as_of": None, "region": None, "corpus": None,
                                               "checks": None})
def make_normcheck(nlp: Language, name: str, kind: str | None, as_of: str | None, region: str | None,
                   corpus: str | None, checks: list[str] | None) -> NormcheckComponent:
    """The ``normcheck`` factory (config: kind, as_of, region, corpus path, checks by registry name)."""
    return NormcheckComponent(nlp, name, kind=kind, as_of=as_of, region=region, corpus=corpus, checks=checks)
