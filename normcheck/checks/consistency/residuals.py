"""What a paraphrase changes besides its numbers (issue 13): read sentence by sentence, as a reviewer does.

:mod:`normcheck.checks.consistency.compare` finds the changed numbers, fines and modal verbs of a
restatement. The other changes the issue lists are in what a paraphrased sentence leaves out or adds
around the same act, and character alignment cannot see them once the wording changes. Each function
here takes the sentence pairs of :func:`normcheck.checks.consistency.sentences.pair_units` (a clause
sentence with the superior sentence that says the most of the same) and looks for one kind:

- a prohibition of the superior restated as a duty or permission (禁止…招揽顾客 -> …的，应当控制音量);
- an exception the superior article does not have (…；但经从业人员书面同意的除外);
- a condition the superior puts on a measure, dropped (拒绝接受罚款处罚的，可以扣留 -> 可以扣留);
- a procedural step the superior requires, dropped (经…批准, 听取意见: a low note; the document may
  state it in another clause);
- who is bound: a subject list shorter or longer than the superior's (驾驶人、乘坐人员 -> 驾驶人), the
  body that decides moved (由业主共同决定 -> 由业主委员会决定);
- a blanket ban where the superior bans only in the times and areas a government designates;
- a penalty type dropped or added in a sentence that keeps the superior's fine.

Precision first, as in the rest of the check: every function needs the paired sentence to speak of the
same act, and gives nothing when it cannot tell. Pure text processing: no corpus, no model. Words and
patterns are in ``data/comparison.json`` and ``data/penalties.json``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from normcheck.checks.consistency.compare import (
    BOUND_VERB,
    Difference,
    DiffKind,
    Direction,
    _dice,
    actor,
    char_bigrams,
    fine_ranges,
    modal_class,
    modal_words,
    penalty_types,
    quantities,
    segment_end,
    severity_of,
)
from normcheck.checks.consistency.sentences import Unit, pair_units, similarity, units, wording
from normcheck.knowledge import comparison, message, penalties
from normcheck.types.findings import Severity

_P = comparison().patterns  # data/comparison.json
_EXCEPTION = _P["exception"]
_EXCEPTION_FRAME = _P["exception_frame"]
_PREVENTION = _P["prevention"]
_QUALIFIED = _P["qualified_prohibition"]
_LIMITED = _P["scope_limited"]
_BLANKET = _P["scope_blanket"]
_BODY_GROUPS = comparison().body_groups
_BODIES = re.compile("|".join(sorted((re.escape(w) for groups in _BODY_GROUPS.values() for g in groups for w in g),
                                     key=len, reverse=True)) or r"(?!x)x")
_OBJECT_END = _P["object_end"]
_DECIDES = _P["decides"]
_QUALIFIED_BEFORE = _P["qualified_before"]
_NEGATED_OBJECT = _P["negated_object"]
_SUBJECT_TAIL = _P["subject_tail"]
_SUBJECT_ITEM = _P["subject_item"]
_NATIONAL = _P["national_organ"]
_FEE_BAN = _P["fee_ban"]
_FEE_CHARGED = _P["fee_charged"]
_DISCRETION = _P["discretion"]
_LOCAL = _P["local_organ"]
_STEP = _P["procedure_step"]
_RECIPIENTS = _P["recipient_list"]
_LIST_LINK = _P["list_link"]
_CONTINUED = _P["step_continuation"]
_DEFINITION = _P["definition"]
_UNIVERSAL = _P["universal_subject"]
_SELF_GOVERNING = _P["self_governing_body"]
_PRECONDITION = _P["precondition"]
_RESIDENCE = _P["residence_precondition"]
_CONSENT = _P["consent_precondition"]
_APPROVAL_WORDS = _P["approval_words"]
_DEFERS_ELSEWHERE = _P["defers_elsewhere"]
_APPROVAL = _P["approval_family"]
_HEDGE = _P["hedged_norm"]
_GRACE = _P["grace_step"]
_GRACE_KEPT = _P["grace_kept"]
_GRADED = _P["graded_step"]
_GRADED_KEPT = _P["graded_kept"]
#: Characters at most between a seriousness condition (情节严重的，) and the fine it conditions.
MAX_GRADED_GAP = 4
_BY_REFERENCE = _P["by_reference"]
_WAIVER = _P["step_waiver"]
_NOTICE = _P["notice_instead"]
_UPPER = _P["approval_upper"]
_SELF = _P["approval_self"]
_CONDITION_END = _P["conditional_split"]
_ADMIN_MEASURE = _P["admin_measure"]
_FINE_WORD = penalties().fine_word  # data/penalties.json
#: The keyword of the confiscation types (没收违法所得, 没收非法财物) in data/penalties.json.
_CONFISCATE = next(t.keyword for t in penalties().types if t.type.endswith("非法财物") and t.keyword)
_ADMIN_WORDS = comparison().actors["admin"]
_MODAL_FILLER = _P["modal_filler"]
_LOWER_BODY = _P["lower_body"]
_ENCOURAGED = _P["encouragement"]
_COERCIVE = _P["coercive_act"]
_FEE_BY_FUND = _P["fee_paid_by_fund"]
#: Dice overlap of the encouraged act and the act a clause obliges from which they are the same act.
MIN_ENCOURAGED_ACT = 0.5

#: Sentence similarity (sentences.similarity) from which a pair is read for residual differences.
MIN_PAIR = 0.5
#: Share of an act's character bigrams that the clause sentence must contain to speak of that act.
MIN_ACT = 0.5
#: Share of a condition's bigrams missing from the whole clause for the condition to count as dropped
#: (and at least MIN_MISSING of them).
MIN_MISSING_SHARE = 0.4
MIN_MISSING = 4
#: Sentence similarity from which a clause sentence and a superior sentence with the same fine are read
#: for penalty types (the same fine is most of the evidence).
MIN_PENALTY_PAIR = 0.3
#: Longest subject item (characters): longer pieces are clauses, not subjects.
MAX_SUBJECT = 8
#: How far (characters) after a modal verb its object is read.
OBJECT_CHARS = 40


def _grams(text: str) -> frozenset[str]:
    t = wording(text)
    return frozenset(t[i:i + 2] for i in range(len(t) - 1))


def _contained(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def _piece_start(text: str, pos: int, lo: int) -> int:
    """Start of the comma piece that ends at ``pos`` (not before ``lo``)."""
    return max(lo, max(text.rfind(c, lo, pos) for c in "，,") + 1)


def _modals(text: str, lo: int, hi: int) -> list[tuple[int, int, str, str]]:
    """(start, end, word, class) of the modal verbs in ``text[lo:hi]``."""
    return [(m.start(), m.end(), m.group(0), modal_class(m.group(0))) for m in modal_words().finditer(text, lo, hi)]


def _object(text: str, end: int, hi: int) -> str:
    """What a modal verb at ``end`` governs: up to the next modal verb or the sentence end."""
    stop = min(hi, end + OBJECT_CHARS)
    brk = _OBJECT_END.search(text, end, stop)
    stop = brk.start() if brk else stop
    nxt = modal_words().search(text, end, stop)
    return text[end:nxt.start() if nxt else stop]


_LIABILITY = comparison().patterns["liability_consequence"]  # data/comparison.json


def _short(text: str, n: int = 20) -> str:
    """``text`` up to its first sentence break, at most ``n`` characters (… where cut)."""
    t = re.split(r"[。；;]", text)[0].rstrip("，,")
    return t if len(t) <= n else t[:n] + "…"


def _penalty_sentence(text: str) -> bool:
    return bool(_FINE_WORD.search(text)) or bool(penalty_types(text))


def _diff(kind: DiffKind, direction: Direction, clause_span: tuple[int, int] | None,
          superior_span: tuple[int, int] | None, clause_value: str, superior_value: str, note: str) -> Difference:
    d = Difference(kind, direction, clause_span, superior_span, clause_value, superior_value, note)
    return replace(d, severity=severity_of(d))


def lost_prohibitions(a: str, b: str, pairs: list[tuple[Unit, Unit, float]]) -> list[Difference]:
    """A superior prohibition whose act the paired clause sentence restates under 应当/可以 instead
    (禁止在居民住宅楼…新建餐饮服务项目 -> …新建餐饮服务项目，应当征得相邻业主书面同意). Not when the clause
    guards against or sanctions the act (防止, 制止, a penalty), nor when the superior forbids only doing
    it without approval (不得擅自…, 未经批准…)."""
    out: list[Difference] = []
    clause_prohibits = [_object(a, e, len(a)) for _, e, _, c in _modals(a, 0, len(a)) if c == "prohibit"]
    for ua, ub, sim in pairs:
        if sim < MIN_PAIR or _penalty_sentence(ua.text) or _PREVENTION.search(ua.text):
            continue
        mods = _modals(a, ua.start, ua.end)
        others = [m for m in mods if m[3] in ("oblige", "permit")]
        if not others:
            continue
        ga = _grams(ua.text)
        for bs, be, bw, cls in _modals(b, ub.start, ub.end):
            if cls != "prohibit":
                continue
            obj = _object(b, be, ub.end)
            if _QUALIFIED.search(obj) or BOUND_VERB.match(obj) or _QUALIFIED_BEFORE.search(b, ub.start, bs) \
                    or _NEGATED_OBJECT.search(obj):
                continue  # 不得擅自… / 除…外，不得…: an approval route is kept; 不得低于… is a bound (a number);
                # 禁止销售不符合标准的… is what 必须符合标准 says
            go = _grams(obj)
            if len(go) < 4 or _contained(go, ga) < MIN_ACT:
                continue  # the clause sentence does not speak of the forbidden act
            subject = b[_piece_start(b, bs, ub.start):bs]
            who = _grams(subject)
            if len(who) >= 3 and _contained(who, ga) < MIN_ACT and not _UNIVERSAL.search(subject.strip()):
                continue  # the ban binds others (患有传染病的人员不得从事…) than the clause's duty does
            if any(_same_act(obj, x) for x in clause_prohibits):
                continue  # the clause forbids it too
            s, e, w, ca = others[0]
            if any(c == ca and _same_act(_object(a, e, ua.end), _object(b, xe, len(b)))
                   for _, xe, _, c in _modals(b, 0, len(b))):
                break  # the clause restates the superior's own duty (应当整体保护), leaving its ban out
            said = re.split(r"[，,；;。]", a[e:ua.end])[0]
            if _LIABILITY.match(said):
                break  # the clause states the liability for the forbidden acts (有下列行为之一…的，应当依法承担
                # 赔偿责任): it sanctions the ban, it does not turn it into a duty
            out.append(_diff(DiffKind.MODALITY, _modal_dir(ca, actor(b, bs)), (s, e), (bs, be), w, bw,
                             f"上位法{bw}{_short(obj)}，本条改为“{w}{_short(said)}”"))
            break
    return out


def _same_act(x: str, y: str) -> bool:
    """Two acts governed by modal verbs are the same: the same first verb, or most words shared."""
    x, y = _MODAL_FILLER.sub("", x), _MODAL_FILLER.sub("", y)
    gx, gy = _grams(x), _grams(y)
    return (len(x) >= 2 and x[:2] == y[:2]) or _contained(gx, gy) >= 0.4 or _contained(gy, gx) >= 0.4


def _modal_dir(clause_class: str, who: str) -> Direction:
    if who == "admin":
        return Direction.MORE_POWER_FOR_ADMINISTRATION
    return Direction.LOOSER_ON_CITIZENS if clause_class == "permit" else Direction.CHANGED


def added_exceptions(a: str, b: str, article: str, pairs: list[tuple[Unit, Unit, float]]) -> list[Difference]:
    """An exception (但…的除外) in the clause qualifying a sentence paired with a superior duty or
    prohibition, where nothing in the superior article admits it."""
    out: list[Difference] = []
    art = _grams(article)
    art_exceptions = [_grams(_EXCEPTION_FRAME.sub("", m.group(0))) for m in _EXCEPTION.finditer(article)]
    for m in _EXCEPTION.finditer(a):
        if "另有规定" in m.group(0):
            continue  # deferring to other law is never an inconsistency
        s, e = m.span()
        host = next((p for p in pairs if p[0].holds(s, e) or 0 <= s - p[0].end <= 3), None)
        if host is None or host[2] < MIN_PAIR:
            continue
        ub = host[1]
        kinds = {c for *_, c in _modals(b, ub.start, ub.end)}
        if not kinds & {"oblige", "prohibit"}:
            continue
        core = _grams(_EXCEPTION_FRAME.sub("", m.group(0)))
        if len(core) < 3 or _contained(core, art) >= 0.5 or any(_contained(core, g) >= 0.4 for g in art_exceptions):
            continue  # the superior article admits it (经批准 against 未经批准不得…)
        # an exception to a ban admits what the superior forbids (medium); one to a duty is a note
        out.append(Difference(DiffKind.EXCEPTION_ADDED, Direction.LOOSER_ON_CITIZENS, (s, e), None, m.group(0), "",
                              f"增加了上位法没有的除外情形：{m.group(0)}",
                              severity=Severity.MEDIUM if "prohibit" in kinds else Severity.LOW))
    return out


def dropped_conditions(a: str, b: str, pairs: list[tuple[Unit, Unit, float]]) -> list[Difference]:
    """A condition of the superior sentence (…拒绝接受罚款处罚的，可以扣留其非机动车) that the paired clause
    sentence leaves out while keeping the measure. Conditions of a penalty (the conduct punished) are
    compared as conduct elsewhere, and a clause sentence with a condition of its own is a rewrite."""
    out: list[Difference] = []
    whole = _grams(a)
    for ua, ub, sim in pairs:
        if sim < MIN_PAIR or _CONDITION_END.search(ua.text):
            continue
        ga = _grams(ua.text)
        for m in _CONDITION_END.finditer(b, ub.start, ub.end):
            cs = _piece_start(b, m.start(), ub.start)
            cond = b[cs:m.start()]
            nxt = re.search(r"[，,]", b[m.end():ub.end])
            cons = b[m.end():m.end() + nxt.start()] if nxt else b[m.end():ub.end]
            if _penalty_sentence(cons) or "下列" in cond or len(wording(cond)) < 6:
                continue
            measure = _ADMIN_MEASURE.search(cons)
            if not any(c == "permit" for *_, c in _modals(cons, 0, len(cons))):
                continue  # a duty or ban without its condition binds more widely: not a loosening
            gk = _grams(cons)
            if len(gk) < 5 or _contained(gk, ga) < 0.6:
                continue  # the clause sentence does not keep the measure
            gc = _grams(cond)
            missing = gc - whole
            if len(missing) < MIN_MISSING or len(missing) / max(len(gc), 1) < MIN_MISSING_SHARE:
                continue
            d = Direction.MORE_POWER_FOR_ADMINISTRATION if measure else Direction.LOOSER_ON_CITIZENS
            out.append(_diff(DiffKind.CONDITION_DROPPED, d, (ua.start, ua.end), (cs, m.start()), "", cond,
                             f"删去了上位法规定的条件：{cond}"))
    return out


#: Similarity from which a superior sentence that sets a step is paired with its most similar clause
#: sentence (the superior side chooses: a clause sentence may merge the step's sentence with the next).
MIN_STEP_PAIR = 0.35
#: Share of the act after a hedged norm (原则上不超过【四小时】) found after the superior's modal verb.
MIN_HEDGED_ACT = 0.5


def _step_pairs(a: str, b: str, pairs: list[tuple[Unit, Unit, float]]) -> list[tuple[Unit, Unit]]:
    """The sentence pairs a changed step or a hedged norm is read in: the clause side's pairs from MIN_PAIR
    on, and each superior sentence with its most similar clause sentence from MIN_STEP_PAIR on."""
    out = [(ua, ub) for ua, ub, sim in pairs if sim >= MIN_PAIR]
    if not pairs:  # the clause does not restate this provision
        return out
    best = {ua: ub for ua, ub, _sim in pair_units(a, b, min_similarity=0.0)}  # what each clause sentence restates
    out += [(ua, ub) for ub, ua, _sim in pair_units(b, a, min_similarity=MIN_STEP_PAIR)
            if (ua, ub) not in out and best.get(ua, ub) == ub]
    return out


def _waived(a: str, verb: str) -> bool:
    """Every mention of ``verb`` in ``a`` dispenses with it (无需另行取得有关部门证明)."""
    pos = [m.start() for m in re.finditer(re.escape(verb), a)]
    return bool(pos) and all(_WAIVER.search(a, max(0, _piece_start(a, p, 0) - 1), _step_start(a, p)) for p in pos)


def _step_start(a: str, pos: int) -> int:
    """Where the step phrase whose verb is at ``pos`` starts (取得【有关部门】证明: at 取得), else ``pos``."""
    for m in _STEP.finditer(a, _piece_start(a, pos, 0), pos + 4):
        if m.start() <= pos < m.end():
            return m.start()
    return pos


def changed_steps(a: str, b: str, steps: list[tuple[Unit, Unit]]) -> list[Difference]:
    """A step of the superior sentence that the paired clause sentence changes rather than omits: consent
    turned into notice (应当征得业主委员会的同意 -> 应当事先告知业主委员会), approval moved inside the acting
    body (经上一级公安机关批准 -> 经本机关负责人批准), a step named only to waive it (无需另行取得…证明).
    ``steps``: the sentence pairs of :func:`_step_pairs`."""
    out: list[Difference] = []
    for ua, ub in steps:
        got = list(_APPROVAL.finditer(ua.text))
        for m in _APPROVAL.finditer(ub.text):
            step = m.group(0)
            span_b = (ub.start + m.start(), ub.start + m.end())
            if not got:
                notice = _NOTICE.search(ua.text)
                if notice is not None and notice.group(0) not in b:  # not a notice the superior also requires
                    end = ua.text.find("，", notice.end())
                    said = ua.text[_piece_start(ua.text, notice.start(), 0):end if end >= 0 else len(ua.text)]
                    out.append(Difference(DiffKind.CONDITION_DROPPED, Direction.LOOSER_ON_CITIZENS,
                                          (ua.start + notice.start(), ua.start + notice.end()), span_b, said, step,
                                          f"上位法要求“{step}”，本条改为“{_short(said)}”（同意或批准改为告知）",
                                          severity=Severity.MEDIUM))
                continue
            if _UPPER.search(step) and not any(_UPPER.search(g.group(0)) for g in got):
                low = next((g for g in got if _SELF.search(g.group(0))), None)
                if low is not None:
                    out.append(Difference(DiffKind.SUBJECT, Direction.LOOSER_ON_CITIZENS,
                                          (ua.start + low.start(), ua.start + low.end()), span_b, low.group(0), step,
                                          f"上位法要求“{step}”，本条为“{low.group(0)}”（批准机关由上级改为本机关）",
                                          severity=Severity.MEDIUM))
        for m in _STEP.finditer(ub.text):
            step = m.group(0)
            if _waived(a, step[-2:]):
                out.append(Difference(DiffKind.CONDITION_DROPPED, Direction.LOOSER_ON_CITIZENS, (ua.start, ua.end),
                                      (ub.start + m.start(), ub.start + m.end()), "", step,
                                      f"本条免除了上位法规定的程序：{step}", severity=Severity.MEDIUM))
    uniq = {(d.kind, d.superior_span): d for d in out}
    return list(uniq.values())


def hedged_norms(a: str, b: str, steps: list[tuple[Unit, Unit]]) -> list[Difference]:
    """A ban or duty of the superior sentence that the paired clause sentence states as a rule of thumb
    (不得超过4个小时 -> 原则上不超过四小时; 不得在夜间…实施 -> 一般不实施…；确有需要的…可以实施).
    ``steps``: the sentence pairs of :func:`_step_pairs`."""
    out: list[Difference] = []
    for ua, ub in steps:
        hedge = _HEDGE.search(ua.text)
        if hedge is None or _HEDGE.search(ub.text):
            continue
        norms = [(s, e, w) for s, e, w, c in _modals(ub.text, 0, len(ub.text)) if c in ("oblige", "prohibit")]
        act_a = _grams(ua.text[hedge.end():hedge.end() + OBJECT_CHARS])
        best = max(norms, key=lambda n: _contained(act_a, _grams(ub.text[n[1]:n[1] + OBJECT_CHARS])), default=None)
        if best is None or _contained(act_a, _grams(ub.text[best[1]:best[1] + OBJECT_CHARS])) < MIN_HEDGED_ACT:
            continue
        s, e, w = best
        piece_a = ua.text[hedge.end():segment_end(ua.text, hedge.end())]
        piece_b = ub.text[e:segment_end(ub.text, e)]
        if quantities(piece_a) and not quantities(piece_b):
            continue  # a figure of the clause's own under the hedge (一般不少于三十日): not the superior's rule
        said = ub.text[s:min(len(ub.text), e + 10)]
        out.append(Difference(DiffKind.MODALITY, Direction.LOOSER_ON_CITIZENS,
                              (ua.start + hedge.start(), ua.start + hedge.end()), (ub.start + s, ub.start + e),
                              hedge.group(0), w, f"上位法为“{said}”，本条为“{_short(ua.text[hedge.start():], 14)}”"
                              "（刚性规定改为原则性要求）", severity=Severity.MEDIUM))
    return out[:1]


def dropped_grace(a: str, b: str, pairs: list[tuple[Unit, Unit, float]]) -> list[Difference]:
    """A penalty the superior imposes only after an order to correct is ignored (责令限期改正；逾期未改正的，
    处…罚款) that the clause imposes at once, for the same conduct and penalty."""
    grace = _GRACE.search(b)
    if grace is None or _GRACE.search(a) or _GRACE_KEPT.search(a) or not pairs:
        return []
    fa, fb = fine_ranges(a), fine_ranges(b)
    if not fa or not fb or not any((f.lo, f.hi) == (g.lo, g.hi) for f in fa for g in fb if g.start > grace.start()):
        return []  # not the superior's penalty after the grace period restated
    f = fa[0]
    return [Difference(DiffKind.CONDITION_DROPPED, Direction.STRICTER_ON_CITIZENS, (f.start, f.end), grace.span(),
                       "", grace.group(0), f"删去了上位法“{grace.group(0)}”的前置环节：本条未给改正的机会即予处罚",
                       severity=Severity.MEDIUM)]


def dropped_gradation(a: str, b: str) -> list[Difference]:
    """A fine the superior imposes only where the circumstances are serious (…；情节严重的，处…罚款) that the
    clause imposes, in the same amounts, with no such condition in its sentence."""
    if not _GRADED.search(b):  # (no sentence pair: the equal amounts pair the two fines)
        return []
    fb = fine_ranges(b)
    for f in fine_ranges(a):
        for g in fb:
            if (f.lo, f.hi) != (g.lo, g.hi):
                continue
            cond = next((m for m in _GRADED.finditer(b, max(0, g.start - 16), g.start)
                         if g.start - m.end() <= MAX_GRADED_GAP), None)
            lo = max(a.rfind(c, 0, f.start) for c in "。；;\n") + 1
            if cond is None or _GRADED_KEPT.search(a, lo, f.start):
                continue
            name = cond.group(0).rstrip("，,")
            return [Difference(DiffKind.CONDITION_DROPPED, Direction.STRICTER_ON_CITIZENS, (f.start, f.end),
                               (cond.start(), cond.start() + len(name)), "", name,
                               message("compare.graded_dropped", condition=name), severity=Severity.MEDIUM)]
    return []


def _without_piece(b: str, ub: Unit, start: int, end: int) -> str:
    """The superior sentence ``ub`` without the comma piece holding ``b[start:end]``."""
    lo = _piece_start(b, start, ub.start)
    nxt = re.search(r"[，,]", b[end:ub.end])
    hi = end + nxt.start() if nxt else ub.end
    return b[ub.start:lo] + b[hi:ub.end]


def dropped_steps(a: str, b: str, pairs: list[tuple[Unit, Unit, float]]) -> list[Difference]:
    """A procedural step or approval of the superior sentence (经…批准, 报…备案, 听取…意见) that the whole
    clause leaves out: a low note, since the document may state the step in another clause."""
    out: list[Difference] = []
    whole = _grams(a)
    # sentence pairs from MIN_PAIR on only (the superior side's weaker pairs of _step_pairs, read for the
    # specific signals of changed_steps, gave mostly notes on steps of sentences the clause does not restate)
    for ua, ub, sim in pairs:
        if _DEFINITION.search(ua.text):
            continue  # a definition restates no procedure
        for m in _STEP.finditer(b, ub.start, ub.end):
            if b[max(ub.start, m.start() - 1):m.start()] == "未" and b[segment_end(b, m.end()) - 1] == "的":
                continue  # 未经批准…的: the conduct a rule punishes, not a step it sets (未经…同意，不得… is one)
            if sim < MIN_PAIR and not (_CONTINUED.match(b[_piece_start(b, m.start(), ub.start):]) and
                                       similarity(ua.text, _without_piece(b, ub, m.start(), m.end())) >= MIN_PAIR):
                continue  # unlike sentences, unless alike without a further step of the same act (…，并将…书面告知)
            step = m.group(0)
            verb = step[-2:]
            if verb in a or _contained(_grams(step), whole) >= 0.5 or any(d.superior_span == m.span() for d in out):
                continue
            out.append(Difference(DiffKind.CONDITION_DROPPED, Direction.LOOSER_ON_CITIZENS, (ua.start, ua.end),
                                  m.span(), "", step, f"未写明上位法规定的程序：{step}（请核对本规范其他条款）",
                                  severity=Severity.LOW))
    return out


#: Share of a body name's bigrams the clause must lack for the body to count as left out.
MIN_BODY_MISSING = 0.5


def dropped_recipients(a: str, b: str, pairs: list[tuple[Unit, Unit, float]]) -> list[Difference]:
    """A body the superior sentence must notify or report to (同时通知A和B) that the paired clause sentence,
    naming fewer bodies after the same verb, leaves out: a low note (the clause may name it elsewhere)."""
    out: list[Difference] = []
    whole = char_bigrams(a)  # body names as written (wording() drops them as boilerplate)
    for ua, ub, sim in pairs:
        if sim < MIN_PAIR:
            continue
        for m in _RECIPIENTS.finditer(b, ub.start, ub.end):
            theirs = [x for x in _LIST_LINK.split(m.group("list")) if x]
            mine = [x for c in _RECIPIENTS.finditer(a, ua.start, ua.end) if c.group("verb") == m.group("verb")
                    for x in _LIST_LINK.split(c.group("list")) if x]
            if len(theirs) < 2 or not mine or len(mine) >= len(theirs):
                continue
            share = sorted(((len(char_bigrams(x) - whole) / max(len(char_bigrams(x)), 1), x) for x in theirs),
                           reverse=True)
            gone = [x for miss, x in share[:len(theirs) - len(mine)] if miss >= MIN_BODY_MISSING]
            if not gone:
                continue
            names = "、".join(gone)
            out.append(Difference(DiffKind.LIST, Direction.LOOSER_ON_CITIZENS, (ua.start, ua.end), m.span("list"),
                                  "、".join(mine), m.group("list"),
                                  message("compare.recipient_dropped", verb=m.group("verb"), names=names),
                                  severity=Severity.LOW))
    return out


def added_preconditions(a: str, b: str, article: str, pairs: list[tuple[Unit, Unit, float]]) -> list[Difference]:
    """A residence requirement (本市户籍, 居住证) or the consent of residents or neighbours (征得…居民…同意) that the
    clause puts on a citizen's permission or duty the paired superior sentence sets without it (可以申请查阅 ->
    具有本市户籍的居民，可以…申请查阅): a burden on citizens."""
    if not (_RESIDENCE.search(a) or _CONSENT.search(a)):
        return []
    out: list[Difference] = []
    whole = _grams(article)
    # pairs, and superior sentences the clause sentence restates with more in it (…的，必须有…证明 -> …的，应当
    # 取得…证明，公告…，并征得…同意): the superior sentence's words held by the clause sentence
    contained = [(ua, ub, 1.0) for ua in units(a) for ub in units(b)
                 if _contained(_grams(ub.text), _grams(ua.text)) >= MIN_CONTAINED]
    for ua, ub, sim in [*pairs, *contained]:
        if sim < MIN_PAIR or _PRECONDITION.search(ub.text) or _CONSENT.search(ub.text) or _penalty_sentence(ub.text) \
                or _DEFERS_ELSEWHERE.search(ub.text):
            continue  # (the superior's own condition, or a procedure it leaves to other law)
        kinds_b = {x[3] for x in _modals(b, ub.start, ub.end)} & {"permit", "oblige"}
        if not kinds_b:
            continue
        # residence requirements and the consent of residents or neighbours only: an approval added by an
        # organ (经…批准) is too often its own procedure or the one other law requires (DLC runs of 2026-12-03)
        mine = [x for x in _modals(a, ua.start, ua.end) if x[3] in kinds_b]
        if not mine or actor(a, mine[0][0]) == "admin":
            continue  # not a citizen's permission or duty
        found = [*_RESIDENCE.finditer(a, ua.start, ua.end), *_CONSENT.finditer(a, ua.start, ua.end)]
        for m in found:
            start, seg = m.start(), m.group(0)
            if _CONSENT.match(seg) and (_APPROVAL_WORDS.search(article) or _CONSENT.search(article)):
                continue  # the superior article requires an approval or consent too, in other words
            if _contained(_grams(seg), whole) >= MIN_ACT:
                continue  # the superior article states it (in another sentence or paragraph)
            out.append(Difference(DiffKind.CONDITION_ADDED, Direction.STRICTER_ON_CITIZENS, (start, m.end()), None,
                                  seg, "", f"增加了上位法没有的条件：{seg}", severity=Severity.MEDIUM))
            return out
    return out


def _in_title(item: str, title: str) -> bool:
    """The document is about this subject (机动车维修经营者 in 机动车维修业管理条例)."""
    g = _grams(item)
    return bool(title) and (item in title or _contained(g, _grams(title)) >= 0.5)


def _subject(text: str, start: int, lo: int, either: bool = False) -> list[str]:
    """The items of the subject written just before a modal verb at ``start`` (驾驶人、乘坐人员应当…);
    ``either``: the items of an either-list (业主大会或者业主委员会可以…) instead of an empty list."""
    piece = _SUBJECT_TAIL.sub("", text[_piece_start(text, start, lo):start])
    public = _SELF_GOVERNING.sub("", piece)  # (业主委员会 is no organ)
    if not piece or "的" in piece or any(w in public for w in _ADMIN_WORDS) or _NATIONAL.search(public) \
            or _LOCAL.search(public):
        return []  # a condition (…的), or public bodies (compared by other_body, not as who is bound)
    if ("或" in piece) != either:
        return []  # either of them (建设单位或者施工单位应当…): naming one is a refinement, not a narrowing
    items = [t for t in re.split(r"、|以及|和|及|与|或者|或", piece) if t]
    if not items or any(len(t) > MAX_SUBJECT or len(t) < 2 or not _SUBJECT_ITEM.search(t) for t in items):
        return []
    return items


def subjects(a: str, b: str, article: str, pairs: list[tuple[Unit, Unit, float]], title: str = "") -> list[Difference]:
    """Who is bound: the subject list before the same kind of modal verb governing the same act, shorter
    or longer than the superior's (驾驶人、乘坐人员应当…使用安全带 -> 驾驶人应当…系好安全带); and the
    body of private law that decides a matter (由业主共同决定 -> 由业主委员会决定)."""
    out: list[Difference] = []
    for ua, ub, _sim in pairs:
        for bs, be, bw, bc in _modals(b, ub.start, ub.end):
            items_b = _subject(b, bs, ub.start)
            if not items_b:
                continue
            gob = _grams(_MODAL_FILLER.sub("", _object(b, be, ub.end))[:14])
            for s, e, _w, c in _modals(a, ua.start, ua.end):
                if c != bc:
                    continue
                goa = _grams(_MODAL_FILLER.sub("", _object(a, e, ua.end))[:14])
                if _contained(goa, gob) < 0.4:
                    continue
                items_a = _subject(a, s, ua.start)
                if not items_a:
                    continue
                missing = [t for t in items_b if t not in a and not any(t in x or x in t for x in items_a)]
                added = _added_subjects(items_a, items_b, b, article)
                span = (_piece_start(a, s, ua.start), s)
                subset = all(any(t in x or x in t for x in items_b) for t in items_a)
                superset = all(any(t in x or x in t for x in items_a) for t in items_b)
                if missing and not added and subset and not any(_in_title(t, title) for t in items_a):
                    # (a document about one of them restates the rule for it: 宗教活动场所管理办法)
                    # a duty or ban that no longer binds some of those the superior binds: medium; a
                    # permission given to fewer: a note
                    d = Direction.STRICTER_ON_CITIZENS if bc == "permit" else Direction.LOOSER_ON_CITIZENS
                    sev = Severity.LOW if bc == "permit" else Severity.MEDIUM
                    out.append(Difference(DiffKind.SUBJECT, d, span, (bs, be), "、".join(items_a), "、".join(items_b),
                                          f"适用主体窄于上位法：上位法为“{'、'.join(items_b)}{bw}”，"
                                          f"本条未包括{'、'.join(missing)}", severity=sev))
                elif added and not missing and superset:
                    # local texts name more of those bound (elaboration): a note for the reviewer
                    d = Direction.LOOSER_ON_CITIZENS if bc == "permit" else Direction.STRICTER_ON_CITIZENS
                    out.append(_widened(d, span, (bs, be), items_a, items_b, added))
                break
    out.extend(_wider_either(a, b, article, pairs))
    out.extend(_deciding_bodies(a, b, article, pairs))
    out.extend(widened_powers(a, b, article, pairs))
    return out


_BODY_LINK = re.compile(r"(、|以及|和|及|或者|或)")  # (captured: split keeps the links, so offsets add up)


def _bodies(text: str, start: int, lo: int) -> list[tuple[int, int, str]]:
    """The public bodies listed just before a modal verb at ``start`` (所在地县级以上地方人民政府或者乡镇
    人民政府、街道办事处可以…): (start, end, name) of each, none when a condition (…的) stands there."""
    ps = _piece_start(text, start, lo)
    piece = text[ps:start]
    if not piece or "的" in piece.replace("所在地的", ""):
        return []
    out, pos = [], ps
    for t in _BODY_LINK.split(piece):
        if t and not _BODY_LINK.fullmatch(t):
            out.append((pos, pos + len(t), t))
        pos += len(t)
    return out


def widened_powers(a: str, b: str, article: str, pairs: list[tuple[Unit, Unit, float]]) -> list[Difference]:
    """A power the superior gives to a public body (县级以上地方人民政府可以实施隔离措施) that the clause gives
    to bodies below it or self-governing ones as well (…或者乡镇人民政府、街道办事处可以…): all the superior's
    bodies kept, some added. An alarm for coercion and sanctions, a note otherwise."""
    out: list[Difference] = []
    for ua, ub, _sim in pairs:
        for bs, be, bw, bc in _modals(b, ub.start, ub.end):
            if bc != "permit":
                continue
            items_b = [t for *_, t in _bodies(b, bs, ub.start)]
            if not items_b or not all(any(w in t for w in _ADMIN_WORDS) for t in items_b):
                continue
            act_b = _MODAL_FILLER.sub("", _object(b, be, ub.end))
            for s, e, _w, c in _modals(a, ua.start, ua.end):
                if c != "permit" or _contained(_grams(_MODAL_FILLER.sub("", _object(a, e, ua.end))[:14]),
                                               _grams(act_b[:14])) < 0.4:
                    continue
                items_a = _bodies(a, s, ua.start)
                norm = [re.sub(r"^(?:本市|本省|所在地的?|当地)", "", t).replace("的", "") for *_, t in items_a]
                kept = all(any(re.sub(r"^(?:所在地的?|当地)", "", t).replace("的", "") in x for x in norm)
                           for t in items_b)
                added = [t for (_, _, t) in items_a if _LOWER_BODY.search(t) and t not in article
                         and not any(t in x for x in items_b)]
                if kept and added:
                    sev = Severity.MEDIUM if _COERCIVE.search(act_b) else Severity.LOW
                    out.append(Difference(DiffKind.SUBJECT, Direction.MORE_POWER_FOR_ADMINISTRATION,
                                          (items_a[0][0], items_a[-1][1]), (bs, be), "、".join(t for *_, t in items_a),
                                          "、".join(items_b),
                                          message("compare.power_widened", superior="、".join(items_b), modal=bw,
                                                  act=re.split(r"[，,。；;]", act_b)[0][:10], added="、".join(added)),
                                          severity=sev))
                    return out
    return out


def _added_subjects(items_a: list[str], items_b: list[str], b: str, article: str) -> list[str]:
    """The clause's subjects that neither the superior sentence nor its article names."""
    return [t for t in items_a if t not in b and t not in article and not any(t in x or x in t for x in items_b)]


def _widened(d: Direction, span: tuple[int, int], span_b: tuple[int, int], items_a: list[str], items_b: list[str],
             added: list[str]) -> Difference:
    """The low note that the clause binds or entitles more subjects than the superior."""
    return Difference(DiffKind.SUBJECT, d, span, span_b, "、".join(items_a), "、".join(items_b),
                      f"适用主体宽于上位法：增加了{'、'.join(added)}", severity=Severity.LOW)


def _wider_either(a: str, b: str, article: str, pairs: list[tuple[Unit, Unit, float]]) -> list[Difference]:
    """A permission the superior gives to either of some (业主大会或者业主委员会可以申请…) that the clause
    gives to another as well (…、业主委员会或者物业服务企业可以申请…): a low note (naming fewer is a refinement)."""
    out: list[Difference] = []
    for ua, ub, sim in pairs:
        if sim < MIN_PAIR:
            continue
        for bs, be, _bw, bc in _modals(b, ub.start, ub.end):
            items_b = _subject(b, bs, ub.start, either=True)
            if bc != "permit" or not items_b:
                continue
            for s, _e, _w, c in _modals(a, ua.start, ua.end):
                items_a = _subject(a, s, ua.start, either=True)
                if c != bc or not items_a:
                    continue
                added = _added_subjects(items_a, items_b, b, article)
                if added and all(any(t in x or x in t for x in items_a) for t in items_b):
                    span = (_piece_start(a, s, ua.start), s)
                    out.append(_widened(Direction.LOOSER_ON_CITIZENS, span, (bs, be), items_a, items_b, added))
                    return out
    return out


def _group_of(name: str) -> tuple[str, int] | None:
    """(domain, group index) of a deciding body's name."""
    for domain, groups in _BODY_GROUPS.items():
        for k, g in enumerate(groups):
            if name in g:
                return domain, k
    return None


def _decider(text: str) -> re.Match[str] | None:
    """The first deciding body of ``text``: a body name after 由/经 and before 决定/表决/同意/通过."""
    for m in _BODIES.finditer(text):
        if text[max(0, m.start() - 1):m.start()] in ("由", "经") and _DECIDES.match(text, m.end()):
            return m
    return None


def _deciding_bodies(a: str, b: str, article: str, pairs: list[tuple[Unit, Unit, float]]) -> list[Difference]:
    out: list[Difference] = []
    pieces = units(article)
    lead = pieces[0].text if pieces and "下列" in pieces[0].text else ""  # 下列事项由业主共同决定：
    for ua, ub, sim in pairs:
        if sim < MIN_PAIR:
            continue
        ma = _decider(ua.text)
        where = ub.text if _decider(ub.text) else lead
        mb = _decider(where)
        if not ma or not mb:
            continue  # only who decides (由…决定, 经…同意) is compared, not bodies merely named
        ga, gb = _group_of(ma.group(0)), _group_of(mb.group(0))
        if ga is None or gb is None or ga[0] != gb[0] or ga == gb or any(
                _group_of(m.group(0)) == ga for m in _BODIES.finditer(where)):
            continue  # the same body in other words, another domain (居民会议 against 村民会议), or also named
        out.append(_diff(DiffKind.SUBJECT, Direction.CHANGED, (ua.start + ma.start(), ua.start + ma.end()), None,
                         ma.group(0), mb.group(0), f"决定主体由上位法的“{mb.group(0)}”改为“{ma.group(0)}”"))
    return out


def blanket_bans(a: str, b: str) -> list[Difference]:
    """A ban everywhere and at all times (本市行政区域内全年全时段禁止燃放烟花爆竹) of an act the superior
    bans only in the times and areas a government designates (不得在…禁止的时段和区域内燃放烟花爆竹)."""
    out: list[Difference] = []
    clause_bans = [(u, s, e, w) for u in units(a) for s, e, w, c in _modals(a, u.start, u.end) if c == "prohibit"]
    for ub in units(b):
        lim = _LIMITED.search(b, ub.start, ub.end)
        if lim is None:
            continue
        bans = [m for m in _modals(b, ub.start, ub.end) if m[3] == "prohibit"]
        if not bans:
            continue
        act = _grams(b[lim.end():ub.end])  # what is banned there (燃放烟花爆竹)
        for u, _s, e, _w in clause_bans:
            if _LIMITED.search(u.text) or not _BLANKET.search(u.text):
                continue
            if len(act) < 3 or _contained(act, _grams(a[e:u.end])) < 0.6:
                continue
            # medium, not high: a local legislature may itself designate the whole area (a reviewer weighs it)
            out.append(Difference(DiffKind.SCOPE, Direction.STRICTER_ON_CITIZENS, (u.start, u.end), lim.span(),
                                  u.text, lim.group(0),
                                  f"上位法仅规定{bans[0][2]}{lim.group(0)}{_short(b[lim.end():ub.end])}，"
                                  f"本条规定“{_short(u.text, 30)}”（范围扩大到全域或全时段）",
                                  severity=Severity.MEDIUM))
            break
    return out


def paraphrase_penalties(a: str, b: str, article: str) -> list[Difference]:
    """Penalty types of a paired sentence that keeps the superior's fine: a type the superior sets
    there (not as 可以) that the clause leaves out, and a type the clause adds that the superior
    article does not set."""
    out: list[Difference] = []
    types_a, types_art = penalty_types(a), penalty_types(article)
    ub_all = units(b)
    for ua in units(a):
        fa = {(f.lo, f.hi) for f in fine_ranges(ua.text)}
        if not fa:
            continue
        # the superior sentence with the same fine, if it also reads alike: the clause restates that one
        same = [u for u in ub_all if fa & {(g.lo, g.hi) for g in fine_ranges(u.text)}]
        if not same:
            continue
        ub = max(same, key=lambda u: similarity(ua.text, u.text))
        if similarity(ua.text, ub.text) < MIN_PENALTY_PAIR:
            continue
        tb = penalty_types(ub.text)
        for name, (s, e) in tb.items():
            piece = ub.text[_piece_start(ub.text, s, 0):s]
            if name in types_a or any(c == "permit" for *_, c in _modals(piece, 0, len(piece))):
                continue
            if name.startswith(_CONFISCATE) and _CONFISCATE in ua.text:
                continue  # 没收烟花爆竹和违法所得: the goods named, not the type's words
            out.append(_diff(DiffKind.PENALTY_DROPPED, Direction.LIGHTER_PENALTY, None,
                             (ub.start + s, ub.start + e), "", name, f"删去了上位法规定的处罚种类：{name}"))
        for name, (s, e) in penalty_types(ua.text).items():
            if name not in types_art and name not in tb:
                out.append(_diff(DiffKind.PENALTY_TYPE, Direction.WIDER_PENALTY, (ua.start + s, ua.start + e), None,
                                 name, "、".join(types_art), f"增设了上位法未规定的处罚种类：{name}"))
    return out


#: Share of a clause sentence's wording found in a superior sentence from which it restates one part of
#: it (a fine for one of two conducts the superior sentence joins).
MIN_CONTAINED = 0.6
#: Topic bigrams (fee words left out) a clause sentence that charges a fee shares with a superior ban
#: sentence it did not pair with (考核费用…收取 against 考核不得收费: all of a one-bigram topic).
MIN_FEE_TOPIC = 2
_FEE_WORDS_RE = re.compile(r"[费收取免得不向由承担缴纳支付任何用\W\d]")


def _fee_topic(text: str) -> set[str]:
    """The bigrams of a sentence's wording with its fee words left out (what the fee is for)."""
    w = _FEE_WORDS_RE.sub(" ", text)  # not wording(): its boilerplate takes 主管部门 phrases
    return {w[i:i + 2] for i in range(len(w) - 1) if " " not in w[i:i + 2]}


def _rest_of_sentence(text: str, end: int) -> str:
    stop = re.search(r"[。；;\n]", text[end:])
    return text[end:end + stop.start()] if stop else text[end:]


def encouraged_duties(a: str, b: str, article: str) -> list[Difference]:
    """An act the superior only encourages (鼓励企业为…职工办理意外伤害保险) that the clause makes a duty of
    the one encouraged (…应当为…职工投保意外伤害保险). A note, not an alarm: a local regulation may add a
    duty on a local matter where the law leaves it open, a government rule needs a basis (立法法 第九十三条);
    of the first eight on real DLC regulations (seeds 28657, 46368) none was clearly a conflict."""
    if not _ENCOURAGED.search(b):
        return []
    duties = [_grams(_MODAL_FILLER.sub("", _rest_of_sentence(article, e)))
              for _, e, _, c in _modals(article, 0, len(article)) if c == "oblige"]
    for m in _ENCOURAGED.finditer(b):
        rest_b = _rest_of_sentence(b, m.end())
        act_b = _grams(rest_b)
        for s, e, w, c in _modals(a, 0, len(a)):
            if c != "oblige" or actor(a, s) == "admin":
                continue
            rest_a = _rest_of_sentence(a, e)
            if _ENCOURAGED.search(rest_a):
                continue
            act_a = _grams(_MODAL_FILLER.sub("", rest_a))
            if not act_a or not act_b or _dice(act_a, act_b) < MIN_ENCOURAGED_ACT:
                continue
            if any(_dice(act_a, x) >= MIN_ENCOURAGED_ACT for x in duties):
                continue  # the superior article makes it a duty too, for some (高危行业…应当投保; 国家鼓励其他…投保)
            said_b = m.group(0) + re.split(r"[，,]", rest_b)[0][:16]
            said_a = w + re.split(r"[，,]", rest_a)[0][:16]
            return [Difference(DiffKind.MODALITY, Direction.STRICTER_ON_CITIZENS, (s, e), m.span(), w, m.group(0),
                               message("compare.encouraged_duty", superior=said_b, clause=said_a),
                               severity=Severity.LOW)]
    return []


def charged_fees(a: str, b: str, pairs: list[tuple[Unit, Unit, float]]) -> list[Difference]:
    """A fee the superior sentence forbids (考核不得收费, 不得向当事人收取费用) that the paired clause sentence
    charges (考核费用按照…标准收取, 费用由当事人承担)."""
    out: list[Difference] = []
    candidates = [(ua, ub) for ua, ub, sim in pairs if sim >= MIN_PAIR]
    if pairs:  # the clause restates this provision: a short ban sentence (考核不得收费) pairs by its topic
        for ub in units(b):
            ban = _FEE_BAN.search(ub.text)
            if ban is None:
                continue
            topic = _fee_topic(ub.text[:ban.start()] + ub.text[ban.end():])
            need = min(MIN_FEE_TOPIC, len(topic)) or MIN_FEE_TOPIC
            for ua in units(a):
                if (ua, ub) not in candidates and len(topic & _fee_topic(ua.text)) >= need:
                    candidates.append((ua, ub))
    for ua, ub in candidates:
        ban = _FEE_BAN.search(ub.text)
        if ban is None or _FEE_BAN.search(ua.text):
            continue
        charged = _FEE_CHARGED.search(ua.text)
        if charged is None or _FEE_BY_FUND.search(ua.text) or ua.text.rstrip("；;。，, ").endswith("的"):
            continue  # paid by a fund, or charging named as the conduct a rule deals with (…收取费用的；)
        out.append(Difference(DiffKind.MODALITY, Direction.STRICTER_ON_CITIZENS,
                              (ua.start + charged.start(), ua.start + charged.end()),
                              (ub.start + ban.start(), ub.start + ban.end()), charged.group(0), ban.group(0),
                              f"上位法规定“{ban.group(0)}”，本条规定“{charged.group(0)}”", severity=Severity.HIGH))
    return out


def removed_discretion(a: str, b: str) -> list[Difference]:
    """A fine the superior leaves to discretion (可以处…罚款) that the clause always imposes (并处…罚款),
    for the same range, in sentences that read alike beyond the fine."""
    out: list[Difference] = []
    for ua in units(a):
        if _BY_REFERENCE.match(ua.text):
            continue  # 违反第一项规定的，处…: the conduct is named only by number, the pair is not known
        for f in fine_ranges(ua.text):
            piece_a = ua.text[_piece_start(ua.text, f.start, 0):f.start]
            if _DISCRETION.search(piece_a) or any(c == "permit" for *_, c in _modals(piece_a, 0, len(piece_a))):
                continue
            for ub in units(b):
                for g in fine_ranges(ub.text):
                    if (g.lo, g.hi) != (f.lo, f.hi) or (similarity(ua.text, ub.text) < MIN_PAIR and
                                                        _contained(_grams(ua.text), _grams(ub.text)) < MIN_CONTAINED):
                        continue  # another conduct (a clause may restate one of two the superior joins)
                    piece_b = ub.text[_piece_start(ub.text, g.start, 0):g.start]
                    m = _DISCRETION.search(piece_b)
                    if m is None:
                        continue
                    said = ua.text[_piece_start(ua.text, f.start, 0):f.end]
                    out.append(Difference(DiffKind.MODALITY, Direction.WIDER_PENALTY,
                                          (ua.start + f.start, ua.start + f.end),
                                          (ub.start + m.start(), ub.start + m.end()), said, m.group(0),
                                          f"上位法为“{m.group(0)}…”，本条为“{said}”（裁量处罚改为一律处罚）",
                                          severity=Severity.MEDIUM))
                    return out
    return out


def residual_differences(a: str, b: str, article: str, *, found: frozenset[DiffKind] = frozenset(),
                         title: str = "") -> list[Difference]:
    """Every residual difference of clause ``a`` against superior provision ``b`` (``article``: the
    whole superior article), leaving out kinds in ``found`` (the comparison already has them).
    ``title``: the document's title (a document about one subject restates a rule for that one)."""
    pairs = pair_units(a, b, min_similarity=0.4)
    steps = _step_pairs(a, b, pairs) if not {DiffKind.MODALITY, DiffKind.CONDITION_DROPPED} <= found else []
    out: list[Difference] = []
    if DiffKind.MODALITY not in found:
        out += lost_prohibitions(a, b, pairs) or charged_fees(a, b, pairs) or removed_discretion(a, b) \
            or hedged_norms(a, b, steps) or encouraged_duties(a, b, article)
    if DiffKind.EXCEPTION_ADDED not in found:
        out += added_exceptions(a, b, article, pairs)
    if DiffKind.CONDITION_DROPPED not in found:
        dropped = dropped_conditions(a, b, pairs)
        out += dropped or dropped_grace(a, b, pairs) or dropped_gradation(a, b) \
            or changed_steps(a, b, steps) or dropped_steps(a, b, pairs)
    if DiffKind.LIST not in found:
        out += dropped_recipients(a, b, pairs)
    if DiffKind.CONDITION_ADDED not in found:
        out += added_preconditions(a, b, article, pairs)
    if DiffKind.SUBJECT not in found:
        out += subjects(a, b, article, pairs, title)
    out += blanket_bans(a, b)
    if DiffKind.PENALTY_TYPE not in found and DiffKind.PENALTY_DROPPED not in found:
        out += paraphrase_penalties(a, b, article)
    uniq = {(d.kind, d.clause_span, d.superior_span): d for d in out}
    return sorted(uniq.values(), key=lambda d: (d.clause_span or (len(a), len(a)))[0])
