"""Fit the reranker of the fused candidates (qa.search.rerank), evaluated leave-one-company-out.

    .venv/bin/python bench/train_rerank.py [--sets ...] [--check heldout23,heldout24] [--variants] [--write]

1. Every answerable development question with an evidence passage is searched through
   the real fusion (`Index.fuse`, the reranker off); the best `rerank.TOP` candidates
   are recorded with their features (`Index.rerank_features`) and a label: the chunk
   holds the evidence. About 2 minutes for the 20 sets with their indexes built
   (bench/answer_quality.py builds them).
2. Leave one company out (the companies of bench/answer_quality.company): a logistic
   regression on standardized features is fitted on the other companies' questions
   (those whose evidence is among the candidates), and the held-out company's
   candidates are reordered by it, then collapsed and balanced across languages exactly
   as `Index.search_with_vector` does. Recall@3 of these held-out orders is the result,
   per set, language, kind and whether the evidence is in the other language.
3. The `--check` sets (not in `--sets`) are searched with the model fitted on every
   company of `--sets`: companies no model saw.
4. With --write, the model fitted on every company of `--sets` is written to
   qa/search/rerank.json with the figures in its notes.
5. With --held-out-models DIR, each company's leave-one-company-out model is written to
   DIR/without-<company>.json, for bench/train_confidence.py --collect --rerank-held-out DIR
   (the answer evaluation with a search that never saw the company asked about).
--variants repeats step 2 with each group of features removed, another regularization,
and without the language balance.
The real releases are read from ../shared at run time and never copied into the project.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import qa  # noqa: E402
from answer_quality import company, index_for, sets  # noqa: E402
from qa.evaluation import squash  # noqa: E402
from qa.search import rerank  # noqa: E402
from qa.search.fusion import balance_languages, collapse_duplicates  # noqa: E402
from train_confidence import DEFAULT_SETS, held_out_model_path  # noqa: E402

GROUPS = {
    "language": ("same_language", "same_lexical", "same_dense_gap", "same_log_lexical_rank", "same_log_dense_rank"),
    "document": ("log_document_rank", "first_of_document"),
    "time": ("log_time_tier", "timed"),
    "quantity": ("quantity",),
    "scores": ("dense", "dense_gap", "lexical", "fused"),
    "coverage": ("own_coverage", "translated_coverage", "coverage", "coverage_gap"),
}


def collect(names: list[str]) -> list[dict]:
    found = sets()
    items = []
    for name in names:
        if name not in found:
            print(f"{name}: not found, skipped", file=sys.stderr)
            continue
        paths, questions = found[name]
        index = qa.load_index(index_for(name, paths), settings=qa.Settings(rerank=False))
        for question in questions:
            if question.unanswerable or not question.evidence:
                continue
            read = index.read_question(question.q)
            stage = index.fuse(read, index.embed_question(read), k=10)
            target = squash(question.evidence)
            candidates = []
            signals = None
            if stage is not None:
                signals = stage[0]
                for position in signals.ranked[:rerank.TOP]:
                    chunk = index.chunks[position]
                    candidates.append(SimpleNamespace(text=chunk.text, sentences=chunk.sentences, path=chunk.path,
                                                      language=chunk.language, doc_date=chunk.doc_date,
                                                      label=target in squash(chunk.text)))
            matrix = index.rerank_features(read, signals) if candidates else np.zeros((0, len(rerank.FEATURES)))
            items.append({"set": name, "company": company(name, question), "id": question.id,
                          "lang": question.lang, "kind": question.kind, "language": read.language,
                          "candidates": candidates, "matrix": matrix,
                          "labels": np.array([candidate.label for candidate in candidates], dtype=bool)})
        print(f"{name}: {sum(item['set'] == name for item in items)} questions", file=sys.stderr)
    return items


def fit(items: list[dict], columns: list[int], c: float) -> rerank.Reranker:
    from sklearn.linear_model import LogisticRegression

    useful = [item for item in items if item["labels"].any()]
    matrix = np.vstack([item["matrix"][:, columns] for item in useful])
    labels = np.concatenate([item["labels"] for item in useful])
    mean, scale = matrix.mean(axis=0), matrix.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=5000).fit((matrix - mean) / scale, labels)
    return rerank.Reranker(mean, scale, model.coef_[0], float(model.intercept_[0]))


def rank_of(item: dict, model: rerank.Reranker | None, columns: list[int], balance: bool = True) -> int | None:
    """The evidence's rank after reordering, collapsing and balancing, as the index does."""
    candidates = item["candidates"]
    order = list(range(len(candidates)))
    if model is not None and candidates:
        probabilities = model.probabilities(item["matrix"][:, columns])
        order.sort(key=lambda index: (-probabilities[index], index))
    order = collapse_duplicates(order, [candidates[index] for index in order])
    if balance:
        order = balance_languages(order, [candidates[index] for index in order])
    return next((rank for rank, index in enumerate(order, start=1) if candidates[index].label), None)


def leave_one_company_out(items: list[dict], columns: list[int], c: float, balance: bool = True,
                          folder: Path | None = None) -> dict[str, int | None]:
    """Each company's candidates reordered by a model fitted on the others (written to
    `folder`, when given, as `held_out_model_path`)."""
    ranks = {}
    for held in sorted({item["company"] for item in items}):
        model = fit([item for item in items if item["company"] != held], columns, c)
        if folder is not None:
            held_out_model_path(folder, held).write_text(json.dumps(model.to_record({"without": held})) + "\n",
                                                         encoding="utf-8")
        for item in items:
            if item["company"] == held:
                ranks[item["set"] + "/" + item["id"]] = rank_of(item, model, columns, balance)
    return ranks


def table(items: list[dict], ranks: dict[str, int | None], title: str) -> dict[str, float]:
    groups = collections.defaultdict(list)
    for item in items:
        rank = ranks[item["set"] + "/" + item["id"]]
        hit = rank is not None and rank <= 3
        held = [candidate.language for candidate in item["candidates"] if candidate.label]
        across = bool(held) and all(language != item["language"] for language in held)
        for group in ("all", f"lang {item['lang']}", f"kind {item['kind']}", "evidence in the other language" if across
                      else "evidence in the question's language"):
            groups[group].append(hit)
    figures = {group: sum(values) / len(values) for group, values in groups.items()}
    print(f"{title}: " + ", ".join(f"{group} {figures[group]:.3f} ({len(groups[group])})" for group in sorted(groups)))
    return figures


def per_set(items: list[dict], before: dict, after: dict) -> None:
    print(f"{'set':<12} {'questions':>9} {'r@3 fused':>10} {'r@3 reranked':>13}")
    for name in sorted({item["set"] for item in items}):
        mine = [item for item in items if item["set"] == name]
        hits = [sum((ranks[item["set"] + "/" + item["id"]] or 99) <= 3 for item in mine) / len(mine)
                for ranks in (before, after)]
        print(f"{name:<12} {len(mine):>9} {hits[0]:>10.3f} {hits[1]:>13.3f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", default=",".join(DEFAULT_SETS))
    parser.add_argument("--check", default="heldout23,heldout24")
    parser.add_argument("--c", type=float, default=0.1)
    parser.add_argument("--variants", action="store_true")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--held-out-models", type=Path, default=None,
                        help="write each company's leave-one-company-out model into this folder")
    args = parser.parse_args(argv)
    names = [name for name in args.sets.split(",") if name]
    checks = [name for name in args.check.split(",") if name and name not in names]
    items = collect(names)
    every = list(range(len(rerank.FEATURES)))
    fused = {item["set"] + "/" + item["id"]: rank_of(item, None, every) for item in items}
    before = table(items, fused, "fused (as before)")
    if args.held_out_models is not None:
        args.held_out_models.mkdir(parents=True, exist_ok=True)
    held = leave_one_company_out(items, every, args.c, folder=args.held_out_models)
    after = table(items, held, f"reranked, leave-one-company-out (C={args.c})")
    per_set(items, fused, held)
    if args.variants:
        table(items, leave_one_company_out(items, every, args.c, balance=False), "reranked, no language balance")
        table(items, leave_one_company_out(items, every, 1.0), "reranked, C=1")
        for group, names_out in GROUPS.items():
            columns = [index for index, name in enumerate(rerank.FEATURES) if name not in names_out]
            table(items, leave_one_company_out(items, columns, args.c), f"reranked without {group}")
    model = fit(items, every, args.c)
    checked = {}
    if checks:
        fresh = collect(checks)
        table(fresh, {item["set"] + "/" + item["id"]: rank_of(item, None, every) for item in fresh},
              f"{'+'.join(checks)}, fused")
        checked = table(fresh, {item["set"] + "/" + item["id"]: rank_of(item, model, every) for item in fresh},
                        f"{'+'.join(checks)}, reranked by the model of every company of --sets")
    if args.write:
        notes = {"fitted": datetime.date.today().isoformat(), "sets": names, "C": args.c,
                 "recall_at_3_fused": round(before["all"], 4),
                 "recall_at_3_leave_one_company_out": round(after["all"], 4),
                 "checked_on": checks, "recall_at_3_checked": round(checked.get("all", 0.0), 4)}
        rerank.MODEL_PATH.write_text(json.dumps(model.to_record(notes), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {rerank.MODEL_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
