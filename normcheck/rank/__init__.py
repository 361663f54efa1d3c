"""Attention ranking: clause scores from findings and clause features, calibrated (``score``), and the
isotonic map it is calibrated with (``isotonic``)."""

from normcheck.rank.score import document_priority, raw_score, raw_scores, score_clauses

__all__ = ["document_priority", "raw_score", "raw_scores", "score_clauses"]
