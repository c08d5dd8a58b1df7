"""The fusion stage of a search: candidates from the dense stage and BM25, fused by rank
with the question's time frame and the quantity it names.

Design choice: the stage is a function of the parts it reads (the store that serves
dense and lexical search, the chunk table, the release dates), so the index wires it
and the reranker (`rerank`) reads all it needs from what it returns: the fused order
and every ranking and score behind it (`rerank.Signals`), computed once. A time frame
filters the candidates before either stage ranks them (`timeframe.allowed_dates`), and
ranks them once more by date (`timeframe.time_ranking`); a quantity the question names
("1.4 million km") is a ranking of its own, since 約140万km meets no word of BM25. The
best `rerank.TOP` are read once more, for the share of the question's words they hold
(`rerank.coverage`), which the reranker weighs.
"""

from __future__ import annotations

import numpy as np

from . import overlap, rerank
from .dense import language_baselines
from .fusion import as_tiers, reciprocal_rank_fusion
from .quantities import quantities, shares_quantity
from .question import Question
from .timeframe import allowed_dates, names_period, time_ranking


def fuse(question: Question, query_vector: np.ndarray, *, k: int, store, chunks, days: np.ndarray, dates,
         settings) -> tuple | None:
    """The fusion's candidates and what it knew of them (`search.rerank.Signals`),
    with the sentence cosines and language baselines of the dense stage and the
    query vector the sentences are scored with; None when nothing can match."""
    total = len(chunks)
    depth = min(total, max(50, 10 * k))
    query = query_vector[0]
    allowed = allowed_dates(question.timeframe, days, settings.as_of_grace_days) if settings.time_filter else None
    if allowed is not None and not allowed.any():
        if question.timeframe.kind == "after":
            return None
        allowed = None  # nothing that early: the frame cannot apply
    weights = question.lexical_query(settings.translation_weight)
    # At scale BM25 runs beside the dense stage (see `search.overlap`).
    lexical = overlap.start(store.lexical_search, weights, allowed, depth) \
        if total > settings.exact_limit and getattr(store, "overlaps", False) else None
    dense, sentence_scores, baselines = store.search(query, depth, allowed, calibrate=settings.calibrate_dense)
    dense_ranked = sorted(dense, key=lambda position: (-dense[position], position))[:depth]
    if len(query_vector) > 1:  # score_sentences_alone: ranked with the first row,
        # the question and its translations; its sentences scored with the second, the
        # question alone (see `Index.embed_question`)
        query = query_vector[1]
        sentence_scores = {}
        baselines = language_baselines(dense_ranked, [chunks[position].language for position in dense_ranked],
                                       lambda position: store.rescore(position, query))
    lexical_ranked, lexical_scores = lexical.result() if lexical is not None \
        else store.lexical_search(weights, allowed, depth)
    rankings = [(as_tiers(dense_ranked), 1.0), (as_tiers(lexical_ranked), settings.lexical_weight)]
    candidates = sorted(set(dense_ranked) | set(lexical_ranked))
    tiers = time_ranking(question.timeframe, candidates, dates) if question.timeframe else []
    if tiers:
        rankings.append((tiers, settings.time_weight))
    stated = quantities(question.text)
    quantity = frozenset(position for position in candidates
                         if shares_quantity(stated, chunks[position].text)) if stated else frozenset()
    if stated:  # "1.4 million km" finds 約140万km, which no word of BM25 meets
        rankings.append(([sorted(quantity)], settings.quantity_weight))
    fused = reciprocal_rank_fusion(rankings, k=settings.rrf_k)
    ranked = sorted(fused, key=lambda position: (-fused[position], position))
    if allowed is not None and question.timeframe.kind == "as_of" and settings.as_of_grace_days:
        # a release after the date asked is read only when it tells the state as of
        # then: its passage names a date of the period ("2022年3月31日現在" for March 2022)
        ranked = [position for position in ranked if not _after(days, position, question.timeframe)
                  or names_period(question.timeframe, chunks[position].text)]
    coverage = {position: rerank.coverage(question, chunks[position].text) for position in ranked[:rerank.TOP]}
    signals = rerank.Signals(ranked, fused, dense, dense_ranked, lexical_ranked, lexical_scores, tiers, quantity,
                             coverage)
    return signals, sentence_scores, baselines, query


def _after(days: np.ndarray, position: int, frame) -> bool:
    return bool(days[position]) and days[position] > frame.end.toordinal() - 1
