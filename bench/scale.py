"""One box at scale: build, memory, latency and recall of an index of N chunks.

Usage: python bench/scale.py --chunks 10000 100000 [--repeat 3] [--folder DIR] [--keep]
       python bench/scale.py --measure DIR/scale-N-.../index [--shortlist ja=6000,en=2000] [--median-sample 16385]

For each N: real Japanese text (Debian's manpages-ja, repeated as distinct
documents until there are N chunks) chunked as qa chunks it, with real BM25, and
synthetic sentence vectors: embedding 17 million sentences would take days here,
and what is measured (memory, search cost, recall of the approximate stage) depends
on how many vectors there are and how they cluster, not on what they mean. Each
document copy gets a random topic direction; its sentences are the topic plus
noise (cosine about 0.45 with the topic), so chunks of a release cluster as real
embeddings do. Each structure is built and timed as `qa build` builds it (chunk
vectors, the PQ index when the size asks for one, BM25, the files), into a real
index folder. Tokenizing is timed once per distinct text (the copies repeat it) and
scaled to N. Embedding is estimated from the real embedder's sentences per second.

Then a fresh process loads the folder with `qa.load_index` (memory-mapped) and asks
the development questions, timing question embedding alone, `search()` interleaved
with it, and resident memory. Recall@10: the dense stage with the PQ index against
the same stage scanning every chunk, for the development questions and for 200
synthetic questions (a topic plus noise). Ends with one line:
`scale: chunks=N rss_mb=... retrieve_p50_ms=... embed_p50_ms=... recall_at_10=...`.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from qa import storage  # noqa: E402
from qa.building import contextual_text, utc_now  # noqa: E402
from qa.chunktable import ChunkTable  # noqa: E402
from qa.index import LEXICAL_FOLDER, chunk_vectors  # noqa: E402
from qa.ingest.chunking import CHUNKING_VERSION  # noqa: E402
from qa.search import codes, vectorfiles  # noqa: E402
from qa.search.lexical import LexicalIndex, tokenize  # noqa: E402
from qa.settings import Settings  # noqa: E402

DIM = 384
NOISE_TOPIC = 0.5  # topic weight: a sentence's cosine with its topic is about 0.45


def chunks_of(target: int, scratch: Path):
    """`target` chunks of manpages-ja text, documents repeated as distinct copies;
    and each chunk's document-copy number."""
    from corpus import write_corpus
    from qa.ingest.chunking import chunk_document
    from qa.ingest.documents import load_documents

    settings = Settings()
    documents = load_documents([write_corpus(scratch / "manpages", 2000)[0].parent]).documents
    base = [chunk_document(document, settings.chunk_size, settings.chunk_overlap) for document in documents]
    chunks, owners, sentences, copy = [], [], 0, 0
    while len(chunks) < target:
        for number, (document_chunks, document_sentences) in enumerate(base):
            suffix = f"-{copy}"
            for chunk in document_chunks:
                chunks.append(dataclasses.replace(chunk, chunk_id=chunk.chunk_id + suffix, path=chunk.path + suffix,
                                                  first_sentence=sentences + chunk.first_sentence))
                owners.append(copy * len(base) + number)
            sentences += len(document_sentences)
            if len(chunks) >= target:
                break
        copy += 1
    return chunks[:target], np.array(owners[:target], dtype=np.int64)


def topics(count: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, DIM), dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def noisy(centres: np.ndarray, generator) -> np.ndarray:
    vectors = NOISE_TOPIC * centres + generator.standard_normal(centres.shape, dtype=np.float32) / np.sqrt(DIM)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def write_sentences(path: Path, table: ChunkTable, owners: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Synthetic float16 sentence vectors, written block by block into `path`."""
    count = int(table.stops.max())
    owner_of_sentence = np.zeros(count, dtype=np.int64)
    for start, stop, owner in zip(table.starts.tolist(), table.stops.tolist(), owners.tolist()):
        owner_of_sentence[start:stop] = owner
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float16, shape=(count, DIM))
    generator = np.random.default_rng(1)
    for start in range(0, count, 1 << 18):
        stop = min(count, start + (1 << 18))
        out[start:stop] = noisy(centres[owner_of_sentence[start:stop]], generator)
    out.flush()
    return np.load(path, mmap_mode="r")


def embed_rate() -> float:
    """Sentences per second of the real embedder (batch of 256 manpage-like lines)."""
    from qa.search.embedders import make_embedder

    model = make_embedder("e5-small-q4")
    sentences = [f"ファイルシステムをマウントするオプション {number} を指定します。" for number in range(256)]
    model.embed_passages(sentences[:16])
    started = time.perf_counter()
    model.embed_passages(sentences)
    return len(sentences) / (time.perf_counter() - started)


def build(target: int, index_dir: Path, scratch: Path) -> dict:
    """Build an index folder of `target` chunks; the seconds of each structure."""
    seconds = {}
    started = time.perf_counter()
    chunks, owners = chunks_of(target, scratch)
    seconds["chunking (manpages text)"] = time.perf_counter() - started
    table = ChunkTable.of(chunks)
    partial = storage.new_partial_folder(index_dir)
    started = time.perf_counter()
    centres = topics(int(owners.max()) + 1, 0)
    sentences = write_sentences(partial / vectorfiles.SENTENCES_NAME, table, owners, centres)
    seconds["synthetic sentence vectors (not a build step)"] = time.perf_counter() - started
    np.save(scratch / "centres.npy", centres)
    started = time.perf_counter()
    matrix = chunk_vectors(table, sentences)
    vectorfiles.save_array(partial / vectorfiles.CHUNK_VECTORS_NAME, matrix)
    seconds["chunk vectors"] = time.perf_counter() - started
    languages, counts = np.unique(table.languages, return_counts=True)
    layout = codes.plan(target, languages={str(a): int(b) for a, b in zip(languages, counts)})
    started = time.perf_counter()
    ann, layout = codes.extend_anns(matrix, layout, table.languages, None, 0)
    if ann is not None:
        codes.save_anns(ann, partial)
    seconds[f"dense structure ({layout['kind']})"] = time.perf_counter() - started
    del ann, matrix
    texts = [contextual_text(chunk) for chunk in chunks]
    distinct = {}
    started = time.perf_counter()
    for text in texts:
        if text not in distinct:
            distinct[text] = tokenize(text, "sudachi")
    tokenizing = time.perf_counter() - started
    seconds["tokenizing, scaled to N (SudachiPy)"] = tokenizing * len(texts) / len(distinct)
    started = time.perf_counter()
    from qa.search.postings import build_postings

    postings = build_postings(distinct[text] for text in texts)
    LexicalIndex("sudachi", postings).save(partial / LEXICAL_FOLDER)
    seconds["BM25 postings and files"] = time.perf_counter() - started
    del postings, distinct, texts
    started = time.perf_counter()
    table.write(partial)
    manifest = {"format_version": storage.FORMAT_VERSION, "built_at": utc_now(),
                "embedder": {"id": "e5-small-q4", "dim": DIM, "query_prefix": None, "passage_prefix": None},
                "chunking": {"version": CHUNKING_VERSION, "size": 500, "overlap": 1}, "sentences": len(sentences), "lexical": {"library": "bm25s", "tokenizer": "sudachi"},
                "vector_index": layout, "documents": [], "failures": [], "duplicates": []}
    storage.write_manifest(partial, manifest)
    storage.publish(index_dir, partial)
    seconds["chunk table, manifest, checksums"] = time.perf_counter() - started
    seconds["embedding, estimated at the real rate"] = len(sentences) / embed_rate()
    return {"seconds": seconds, "sentences": len(sentences), "layout": layout}


def _best(matrix, ids: np.ndarray, query: np.ndarray, k: int = 10) -> np.ndarray:
    """The `k` of rows `ids` with the highest inner product with `query`."""
    ids = np.unique(ids)
    return ids[np.argsort(-(np.asarray(matrix[ids], dtype=np.float32) @ query))[:k]]


def measure(index_dir: Path, centres_path: Path, repeat: int, shortlists: dict[str, int] | None = None,
            median_sample: int | None = None) -> dict:
    """In this (fresh) process: load, time, resident memory, recall. `shortlists` and
    `median_sample` replace the build's (variants measured on one kept folder)."""
    import statistics

    import qa
    from qa.evaluation import read_questions
    from qa.search.dense import DenseScorer
    from load import rss_megabytes

    manifest_path = storage.build_folder(index_dir) / storage.MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text())
    if not manifest.get("chunking"):  # folders built by an earlier version of this script
        manifest["chunking"] = {"version": CHUNKING_VERSION, "size": 500, "overlap": 1}
        manifest_path.write_text(json.dumps(manifest))
    started = time.perf_counter()
    index = qa.load_index(index_dir, settings=qa.Settings(dictionary=True))
    load_seconds = time.perf_counter() - started
    if index.ann is not None:
        index.store.dense.shortlists.update(shortlists or {})
        index.store.dense.median_sample = median_sample or index.store.dense.median_sample
    questions = [question.q for question in read_questions(ROOT / "tests/data/dev_qa.jsonl")]
    embed_times, retrieve_times = [], []
    for question in questions:  # warm-up
        index.search(question, k=5)
    for _ in range(repeat):
        for question in questions:
            started = time.perf_counter()
            index.embedder.embed_queries([question])
            embed_times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            index.search(question, k=5)
            retrieve_times.append((time.perf_counter() - started) * 1000)
    rss = rss_megabytes(os.getpid())
    chunks = len(index)
    recall, agreement = {}, {}
    if index.ann is not None:
        from qa.search.codes import ann_search

        exact = DenseScorer(index.chunk_matrix, index.sentence_matrix, index.chunks.starts, index.chunks.stops,
                            index.chunks.languages)
        centres = np.load(centres_path)
        generator = np.random.default_rng(7)
        synthetic = noisy(centres[generator.integers(0, len(centres), 200)], generator)
        real = np.concatenate([index.embed_question(question) for question in questions])
        layout = index.manifest["vector_index"]
        probes, shortlists = codes.probes_of(layout), {**codes.shortlists_of(layout), **(shortlists or {})}
        small = np.flatnonzero(~np.isin(index.chunks.languages, list(index.ann)))  # languages with no index
        for name, queries in (("synthetic questions", synthetic), ("development questions", real)):
            found, same = [], []
            for query in queries:
                # The approximate part: every language's index's shortlist (its top 10
                # for an IVF index), and a scan of a language too small for an index,
                # re-scored exactly and merged, against a scan of every chunk vector.
                ids = np.concatenate([ann_search(ann, query, max(10, shortlists.get(language, 0)), None,
                                                 probes[language])[0]
                                      for language, ann in index.ann.items()] + [small])
                ids = _best(index.chunk_matrix, ids, query)
                truth = np.argpartition(-np.asarray(index.chunk_matrix @ query), 10)[:10]
                found.append(len(set(ids.tolist()) & set(truth.tolist())) / 10)
                # The whole dense stage (candidates, sentence rescoring, calibration).
                approximate, scanned = index.store.search(query, 10)[0], exact.search(query, 10)[0]
                top = set(sorted(approximate, key=lambda p: -approximate[p])[:10])
                same.append(len(top & set(sorted(scanned, key=lambda p: -scanned[p])[:10])) / 10)
            recall[name] = float(np.mean(found))
            agreement[name] = float(np.mean(same))
    # Adding one release (a manpage under a new name): read, embed (for real), append.
    add = {}
    release = sorted((index_dir.parent / "manpages").glob("*.txt"))[0]
    added = index_dir.parent / "new-release.txt"
    added.write_text(release.read_text(encoding="utf-8") + "\n追加のリリースです。\n", encoding="utf-8")
    try:
        started = time.perf_counter()
        report = index.add([added])
        add = {"seconds": time.perf_counter() - started, "embed_seconds": report.embed_seconds,
               "chunks": report.chunks, "embedded_sentences": report.embedded_sentences,
               "outcome": [outcome.outcome for outcome in report.outcomes]}
    except Exception as error:  # noqa: BLE001 - a benchmark reports what failed
        add = {"error": repr(error)}
    percentile = lambda values, q: sorted(values)[int(q * (len(values) - 1))]  # noqa: E731
    return {"chunks": chunks, "load_seconds": load_seconds, "rss_mb": rss, "embed_p50": statistics.median(embed_times),
            "embed_p95": percentile(embed_times, 0.95), "retrieve_p50": statistics.median(retrieve_times),
            "retrieve_p95": percentile(retrieve_times, 0.95),
            # The final line's recall: the lower of the index against a scan and the dense
            # stage's top 10 against the stage scanning, on questions shaped like the data
            # (the development questions' vectors are unrelated to random topics).
            "recall": {"index, synthetic questions": recall["synthetic questions"],
                       "dense stage, synthetic questions": agreement["synthetic questions"]} if recall else {},
            "recall_all": recall, "stage_agreement": agreement, "samples": len(retrieve_times),
            "load_average": os.getloadavg()[0], "add": add}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chunks", type=int, nargs="+", default=[10_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, default=None, help="where to build (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true",
                        help="keep each built folder (under --folder) to measure again with --measure FOLDER/index")
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--shortlist", default="", help="with --measure: LANGUAGE=N,... in place of the build's")
    parser.add_argument("--median-sample", type=int, default=None, help="with --measure: in place of qa's")
    arguments = parser.parse_args()
    if arguments.measure:
        shortlists = {language: int(number) for language, number in
                      (pair.split("=") for pair in arguments.shortlist.split(",") if pair)}
        result = measure(arguments.measure, arguments.measure / "centres.npy", arguments.repeat, shortlists,
                         arguments.median_sample)
        (arguments.measure.parent.parent / f"measure-{result['chunks']}.json").write_text(json.dumps(result))
        print(json.dumps(result))
        return
    from build_speed import machine

    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} at start (the machine is shared)")
    lines = []
    for target in arguments.chunks:
        with contextlib.nullcontext(tempfile.mkdtemp(dir=arguments.folder, prefix=f"scale-{target}-")) \
                if arguments.keep else tempfile.TemporaryDirectory(dir=arguments.folder) as scratch:
            scratch = Path(scratch)
            built = build(target, scratch / "index", scratch)
            np.save(scratch / "index" / "centres.npy", np.load(scratch / "centres.npy"))
            output = subprocess.run([sys.executable, __file__, "--measure", str(scratch / "index"),
                                     "--repeat", str(arguments.repeat)], capture_output=True, text=True, check=True)
            result = json.loads(output.stdout.strip().splitlines()[-1])
            disk = sum(path.stat().st_size for path in (scratch / "index").rglob("*") if path.is_file()) / 2 ** 20
        print(f"\n{target:,} chunks, {built['sentences']:,} sentence vectors, dense: {built['layout']}"
              + (f" (kept: {scratch / 'index'})" if arguments.keep else ""))
        print("| structure | seconds |\n|---|---|")
        for name, seconds in built["seconds"].items():
            print(f"| {name} | {seconds:.1f} |")
        recall = result["recall"] or {"(exact scan)": 1.0}
        print(f"adding one release: {result.get('add')}")
        for name, value in result.get("recall_all", {}).items():
            print(f"Index (shortlist re-scored) recall@10 against a scan of every chunk vector, {name}: {value:.3f}; "
                  f"dense stage top-10 agreement: {result['stage_agreement'][name]:.3f}")
        print(f"| chunks | sentence vectors | on disk | load | resident memory | retrieve p50 / p95 | "
              f"embed p50 / p95 | recall@10 |\n|---|---|---|---|---|---|---|---|\n"
              f"| {target:,} | {built['sentences']:,} | {disk:,.0f} MB | {result['load_seconds']:.1f} s | "
              f"{result['rss_mb']:,.0f} MB | {result['retrieve_p50']:.1f} / {result['retrieve_p95']:.1f} ms | "
              f"{result['embed_p50']:.1f} / {result['embed_p95']:.1f} ms | "
              + ", ".join(f"{value:.3f} ({name})" for name, value in recall.items()) + " |")
        lines.append(f"scale: chunks={target} rss_mb={result['rss_mb']:.0f} "
                     f"retrieve_p50_ms={result['retrieve_p50']:.1f} embed_p50_ms={result['embed_p50']:.1f} "
                     f"recall_at_10={min(recall.values()):.3f}")
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
