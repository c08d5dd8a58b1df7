"""The `qa` command line: build, add, remove, list, inspect, search, ask, eval, prepare and serve.

Design choice: a thin layer over the library. It configures logging, turns typed
`QAError`s into one-line messages on stderr with exit code 1 (each printed once: the
library's own log lines about the same files stay below WARNING), and prints either
human-readable text or, with `--json`, one JSON document.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from dataclasses import replace

from .errors import NothingIndexedError, QAError
from .settings import Settings

logger = logging.getLogger("qa")


def _settings(arguments) -> Settings:
    overrides = {"index_dir": getattr(arguments, "index", None), "embedder": getattr(arguments, "embedder", None),
                 "store": getattr(arguments, "store", None)}
    settings = Settings.from_environment(**overrides)
    if getattr(arguments, "chunk_size", None):
        settings = replace(settings, chunk_size=arguments.chunk_size)
    if getattr(arguments, "chunk_overlap", None) is not None:
        settings = replace(settings, chunk_overlap=arguments.chunk_overlap)
    if getattr(arguments, "lexical", None):
        settings = replace(settings, lexical_tokenizer=arguments.lexical)
    if getattr(arguments, "file_timeout", None) is not None:
        settings = replace(settings, per_file_timeout_seconds=arguments.file_timeout)
    for flag, name in (("llm", "llm_url"), ("llm_model", "llm_model"), ("llm_timeout", "llm_timeout"),
                       ("precision", "answer_precision")):
        if getattr(arguments, flag, None) is not None:
            settings = replace(settings, **{name: getattr(arguments, flag)})
    return settings


def _question(arguments) -> str:
    """The question from the command line, or from standard input when it is "-"
    (for questions longer than a command line allows). Undecodable bytes are kept as
    lone surrogates, which the library drops."""
    if arguments.question == "-":
        return sys.stdin.buffer.read().decode("utf-8", errors="surrogateescape")
    return arguments.question


def command_build(arguments) -> int:
    from .building import build_index

    settings = _settings(arguments)
    paths = arguments.paths or [settings.corpus_dir]
    try:
        index = build_index(paths, settings.index_dir, embedder=settings.embedder_name,
                            progress=not arguments.quiet, settings=settings, replace=arguments.replace,
                            keep_added=arguments.keep_added)
    except NothingIndexedError as error:
        for failure in error.failures:
            print(f"failed: {failure.path}: {failure.reason}", file=sys.stderr)
        print("error: nothing could be indexed" if error.failures else f"error: {error}", file=sys.stderr)
        return 1
    report = index.report
    for failure in report.failures:
        print(f"failed: {failure.path}: {failure.reason}", file=sys.stderr)
        for warning in failure.warnings:
            print(f"    {warning}", file=sys.stderr)
    for document in index.manifest["documents"]:
        if document.get("warnings"):
            print(f"warning: {document['path']}:", file=sys.stderr)
            for warning in document["warnings"]:
                print(f"    {warning}", file=sys.stderr)
    for duplicate in report.duplicates:
        print(f"duplicate: {duplicate.path} has the same content as {duplicate.same_as}; indexed once",
              file=sys.stderr)
    embedding = index.manifest.get("embedding", {})
    print(
        f"indexed {report.documents} document(s), {report.chunks} chunks, {report.sentences} sentences "
        f"({embedding.get('distinct', report.sentences)} distinct, {embedding.get('embedded', 0)} embedded, "
        f"{report.reused_sentences} reused from the previous build), {len(report.failures)} failed, "
        f"{len(report.duplicates)} duplicate(s) skipped, in {report.seconds:.1f} s "
        f"({report.chunks_per_second:.1f} chunks/s) -> {index.folder}"
    )
    return 0


def _print_outcomes(index, arguments) -> int:
    """Each file's or name's outcome once. Exit status 1 when a file was rejected or
    in conflict, or a name was not found; 0 otherwise: a duplicate is not an error
    (its content is indexed already, so adding a folder again is safe in scripts)."""
    report = index.report
    if arguments.json:
        print(json.dumps({"outcomes": [outcome.to_dict() for outcome in report.outcomes],
                          "documents": len(index.documents()), "chunks": len(index),
                          "embedded_sentences": report.embedded_sentences, "seconds": round(report.seconds, 3),
                          "build": str(index.folder)}, ensure_ascii=False, indent=2))
    else:
        for outcome in report.outcomes:
            line = f"{outcome.outcome}: {outcome.name}" + (f" ({outcome.reason})" if outcome.reason else "")
            print(line, file=sys.stdout if outcome.outcome in ("added", "replaced", "removed") else sys.stderr)
        print(f"index: {len(index.documents())} document(s), {len(index)} chunks; "
              f"{report.embedded_sentences} sentences embedded, in {report.seconds:.1f} s -> {index.folder}")
    if any(outcome.outcome == "conflict" for outcome in report.outcomes) and not arguments.json:
        print("hint: add --replace to replace the indexed version", file=sys.stderr)
    return int(any(outcome.outcome in ("rejected", "conflict", "not found") for outcome in report.outcomes))


def command_add(arguments) -> int:
    from .library import add_documents

    settings = _settings(arguments)
    index = add_documents(settings.index_dir, arguments.paths, replace=arguments.replace,
                          progress=not (arguments.quiet or arguments.json), settings=settings)
    return _print_outcomes(index, arguments)


def command_remove(arguments) -> int:
    from .library import remove_documents

    settings = _settings(arguments)
    index = remove_documents(settings.index_dir, arguments.names, settings=settings)
    return _print_outcomes(index, arguments)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _cell(text: str, width: int) -> str:
    """`text` cut and padded to `width` terminal columns (wide characters count 2)."""
    out = ""
    for character in text:
        if _width(out + character) > width - (1 if _width(text) > width else 0):
            out += "…"
            break
        out += character
    return out + " " * max(0, width - _width(out))


def _wrapped(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal columns, nothing cut: broken after
    a "-", "_", "/", "." or space when one is near the end of a line."""
    lines, rest = [], text
    while _width(rest) > width:
        cut = 0
        while cut < len(rest) and _width(rest[:cut + 1]) <= width:
            cut += 1
        soft = max((rest.rfind(mark, 0, cut) for mark in "-_/. "), default=-1)
        if soft >= cut // 2:
            cut = soft + 1
        lines.append(rest[:cut])
        rest = rest[cut:]
    return lines + [rest]


def command_list(arguments) -> int:
    from .storage import build_folder, read_manifest
    from .library import document_infos

    settings = _settings(arguments)
    manifest = read_manifest(build_folder(settings.index_dir), settings.index_dir)
    documents = document_infos(manifest)
    if arguments.json:
        print(json.dumps([document.to_dict() for document in documents], ensure_ascii=False, indent=2))
        return 0
    rows = [[document.name, document.title, document.date or "-", str(document.pages or "-"),
             document.language or "-", str(document.chunks), document.added[:16].replace("T", " "),
             document.short_id] for document in documents]
    name_width = min(40, max([4] + [_width(row[0]) for row in rows]))
    columns = [("name", name_width), ("title", 40), ("date", 10), ("pages", 5), ("lang", 4), ("chunks", 6),
               ("added", 16), ("id", 12)]
    if arguments.wide:  # every value in full, each column as wide as its widest value
        columns = [(name, max([_width(name)] + [_width(row[number]) for row in rows]))
                   for number, (name, _) in enumerate(columns)]
    print("  ".join(_cell(name, width) for name, width in columns).rstrip())
    for row in rows:
        # The name is never cut (it is what `qa remove` takes): it wraps within its column.
        name_lines = _wrapped(row[0], columns[0][1])
        print("  ".join(_cell(value, width) for value, (_, width) in
                        zip([name_lines[0]] + row[1:], columns)).rstrip())
        for line in name_lines[1:]:
            print(line)
    print(f"{len(documents)} document(s), built {manifest.get('built_at', '?')}")
    return 0


def command_inspect(arguments) -> int:
    from .ingest.documents import load_document

    settings = _settings(arguments)
    document = load_document(arguments.file, time_limit=settings.per_file_timeout_seconds)
    record = {
        "path": document.path, "title": document.title, "date": document.date,
        "date_source": document.date_source, "language": document.language, "sha256": document.sha256,
        "pages": document.page_count if document.paged else None, "skipped_pages": list(document.skipped_pages),
        "warnings": list(document.warnings),
        "page_texts": [{"page": number, "garbage_score": score, "text": text}
                       for number, (text, score) in enumerate(
                           zip(document.pages, document.page_scores or [None] * document.page_count), start=1)],
    }
    if arguments.json:
        print(json.dumps(record, ensure_ascii=False, indent=2))
        return 0
    print(f"file:     {document.path}")
    print(f"title:    {document.title}")
    print(f"date:     {document.date or '-'} (from {document.date_source or 'nowhere'})")
    print(f"language: {document.language}")
    print(f"pages:    {record['pages'] or '- (unpaged text)'}")
    for warning in document.warnings:
        print(f"warning:  {warning}")
    for page in record["page_texts"]:
        if arguments.page and page["page"] not in arguments.page:
            continue
        score = page["garbage_score"]
        label = f"page {page['page']}" if document.paged else "text"
        skipped = "  NOT INDEXED" if page["page"] in document.skipped_pages else ""
        print(f"\n--- {label}" + (f"  garbage score {score:.2f}" if score is not None else "") + skipped)
        text = page["text"]
        if arguments.chars and len(text) > arguments.chars:
            text = text[:arguments.chars] + f" … ({len(page['text']) - arguments.chars} more characters)"
        print(text)
    return 0


def command_search(arguments) -> int:
    from .index import load_index

    settings = _settings(arguments)
    index = load_index(settings.index_dir, settings=settings)
    hits = index.search(_question(arguments), k=arguments.k)
    if arguments.json:
        print(json.dumps([hit.to_dict() for hit in hits], ensure_ascii=False, indent=2))
        return 0
    if not hits:
        print("no passages found")
    for rank, hit in enumerate(hits, start=1):
        print(f"[{rank}] {hit.source}  page {hit.page_label}  date {hit.doc_date or '-'}  score {hit.score:.4f}")
        print("    " + hit.text.replace("\n", "\n    "))
    return 0


OUTCOME_WORDS = {"answer": "answer (a fact stated first)",
                 "passage": "passage (the closest passage quoted; no fact stated)",
                 "not_found": "not found (the releases do not say)"}


def _outcome_words(answer) -> str:
    """The outcome said plainly; "not found" with nothing quoted (a question in a language
    qa does not answer, never searched) does not claim the releases were read."""
    if answer.outcome == "not_found" and not answer.citations:
        return "not answered (nothing quoted)"
    return OUTCOME_WORDS[answer.outcome]


def _confidence_words(answer) -> str:
    """What `Answer.confidence` measures, said plainly: for a stated fact, how likely it is
    right; for the closest passage, how likely it holds the answer (a passage at 0.91
    read as "not confident ... (confidence 0.91)")."""
    if answer.confidence is None or answer.outcome == "not_found":
        return ""
    if answer.outcome == "answer":
        return f" (the model puts the chance that this fact is right at {answer.confidence:.2f})"
    return f" (the model puts the chance that this passage holds the answer at {answer.confidence:.2f})"


def command_ask(arguments) -> int:
    from .index import load_index

    settings = _settings(arguments)
    index = load_index(settings.index_dir, settings=settings)
    answer = index.answer(_question(arguments), k=arguments.k)
    if arguments.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(answer.text)
    if answer.note:
        print(f"\nNote: {answer.note}")
    print(f"\nOutcome: {_outcome_words(answer)}" + _confidence_words(answer))
    print()
    if settings.llm_url:
        print(f"Answered by: {answer.generator}" + (" (every sentence checked against its citation)"
                                                    if answer.generator != "extractive" else ""))
    if answer.citations:
        print("Sources:")  # the quotes are in the answer above; here, where each one is
        for citation in answer.citations:
            hit = citation.hit
            print(f"[{citation.n}] {hit.title} | {hit.source}, page {hit.page_label}, {hit.doc_date or 'undated'}")
    elif answer.hits:
        print("Closest passages:")
        for rank, hit in enumerate(answer.hits, start=1):
            print(f"- {hit.source}, page {hit.page_label}, {hit.doc_date or 'undated'}: {hit.text[:160]}")
    return 0


def command_eval(arguments) -> int:
    from .evaluation import evaluate, read_questions, table
    from .index import load_index

    settings = _settings(arguments)
    index = load_index(settings.index_dir, settings=settings)
    questions = read_questions(arguments.questions)
    steps = len(questions) * (1 if arguments.retrieval_only else 2)
    with _progress(not arguments.json and not arguments.quiet, steps, "evaluating", "question") as bar:
        report = evaluate(index, questions, k=arguments.k, answers=not arguments.retrieval_only,
                          progress=bar.update if bar is not None else None,
                          answerer=index.answerer() if settings.llm_url else None)
    if arguments.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"index: {index}")
    for line in table(report):
        print(line)
    return 0


def _progress(enabled: bool, total: int, description: str, unit: str):
    import contextlib

    if not enabled or not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False)


def command_prepare(arguments) -> int:
    """Build now what qa would otherwise build on first use: the dictionary's
    compact file in the cache folder (about half a minute, once)."""
    import time

    from .search import dictionary

    started = time.monotonic()
    loaded = dictionary.load()
    if loaded is None:
        print("jamdict-data is not installed: qa will search without a dictionary", file=sys.stderr)
        return 0
    size = loaded.path.stat().st_size / 1e6
    print(f"dictionary: {loaded.path} ({size:.0f} MB, {time.monotonic() - started:.1f} s)")
    return 0


def serve_arguments(arguments) -> list[str]:
    """`qa serve`'s flags as app.py's command line."""
    argv = ["--index", _settings(arguments).index_dir, "--host", arguments.host, "--port", str(arguments.port)]
    if arguments.corpus:
        argv += ["--corpus", arguments.corpus]
    if arguments.share:
        argv.append("--share")
    if arguments.auth:
        argv += ["--auth", arguments.auth]
    if arguments.max_upload_mb is not None:
        argv += ["--max-upload-mb", str(arguments.max_upload_mb)]
    for flag in ("llm", "llm_model", "llm_timeout"):
        if getattr(arguments, flag, None) is not None:
            argv += [f"--{flag.replace('_', '-')}", str(getattr(arguments, flag))]
    return argv


def command_serve(arguments) -> int:
    import importlib.util
    from pathlib import Path

    app_path = Path(__file__).resolve().parent.parent / "app.py"
    if not app_path.exists():
        raise QAError(f"app.py not found next to the qa package ({app_path})")
    spec = importlib.util.spec_from_file_location("qa_app", app_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main(serve_arguments(arguments))


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="qa", description="Answers about press releases, with citations.")
    top.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = top.add_subparsers(dest="command", required=True)

    def common(sub, *, embedder=False):
        sub.add_argument("--index", help="index folder (default: index, or QA_INDEX)")
        sub.add_argument("--store", help="where vectors and BM25 live: local (default), a Milvus URI "
                         "(http://host:19530) or a milvus-lite file (*.db); or QA_STORE. An index "
                         "remembers its store: add and remove keep it")
        if embedder:
            sub.add_argument("--embedder", help="e5-small-q4 (default) or sentence-transformers:<path or name>")

    def language_model(sub):
        sub.add_argument("--llm", metavar="URL", help="answer through an OpenAI-compatible server at this base URL, "
                         "every sentence checked against its citation (e.g. http://127.0.0.1:11434/v1; or QA_LLM; "
                         "the key comes from QA_LLM_KEY)")
        sub.add_argument("--llm-model", metavar="NAME", help="the model's name (or QA_LLM_MODEL; default: the "
                         "first model the server lists)")
        sub.add_argument("--llm-timeout", type=float, metavar="SECONDS", help="give up on the model after this "
                         "long and answer extractively (default 60, or QA_LLM_TIMEOUT)")
        sub.add_argument("--precision", type=float, metavar="P", help="the precision of stated facts to aim for: "
                         "a fact is stated first only when the confidence model is this sure, else the closest "
                         "passage is quoted (default 0.95, or QA_ANSWER_PRECISION; fitted for 0.8, 0.9, 0.95, 0.99)")

    build = commands.add_parser("build", help="build the index from release files")
    build.add_argument("paths", nargs="*", help="files or folders (default: corpus/)")
    common(build, embedder=True)
    build.add_argument("--chunk-size", type=int, help="chunk size in characters (default 500)")
    build.add_argument("--chunk-overlap", type=int, help="overlap in whole sentences (default 1)")
    build.add_argument("--lexical", choices=["sudachi", "bigram"], help="lexical tokenizer (default sudachi)")
    build.add_argument("--file-timeout", type=float, metavar="SECONDS",
                       help="give up on a file that takes longer to read (default 120, or QA_FILE_TIMEOUT)")
    kept = build.add_mutually_exclusive_group()
    kept.add_argument("--keep-added", action="store_true", help="keep the documents added with qa add or the "
                      "app that are not among the files given, read again from their copies in the index")
    kept.add_argument("--replace", action="store_true", help="drop the documents added with qa add or the "
                      "app that are not among the files given (with neither flag, the build refuses and names them)")
    build.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    build.set_defaults(handler=command_build)

    add = commands.add_parser("add", help="add files to the index (only they are read and embedded)")
    add.add_argument("paths", nargs="+", help="files or folders")
    add.add_argument("--replace", action="store_true",
                     help="replace an indexed document that has the same name but other content")
    common(add)
    add.add_argument("--file-timeout", type=float, metavar="SECONDS",
                     help="give up on a file that takes longer to read (default 120, or QA_FILE_TIMEOUT)")
    add.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add.add_argument("--json", action="store_true", help="print JSON")
    add.set_defaults(handler=command_add)

    remove = commands.add_parser("remove", help="remove documents from the index (nothing is embedded)")
    remove.add_argument("names", nargs="+", help="document names (as `qa list` shows them) or ids, or the "
                        "beginning of exactly one document's name or id")
    common(remove)
    remove.add_argument("--json", action="store_true", help="print JSON")
    remove.set_defaults(handler=command_remove)

    listing = commands.add_parser("list", help="list the indexed documents")
    common(listing)
    listing.add_argument("--wide", action="store_true", help="every value in full, on one line per document "
                         "(by default long names wrap and long titles are cut)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=command_list)

    inspect = commands.add_parser("inspect", help="show what qa reads from a file: title, date, pages, "
                                                 "garbage scores, warnings")
    inspect.add_argument("file", help="a .pdf, .txt or .md file")
    inspect.add_argument("--page", type=int, action="append", help="show only this page (repeatable)")
    inspect.add_argument("--chars", type=int, default=0, help="cut each page's text after this many characters")
    inspect.add_argument("--json", action="store_true", help="print JSON")
    inspect.add_argument("--file-timeout", type=float, metavar="SECONDS",
                         help="give up when reading takes longer (default 120, or QA_FILE_TIMEOUT)")
    inspect.set_defaults(handler=command_inspect)

    search = commands.add_parser("search", help="show the passages that best match a question")
    search.add_argument("question", help='the question, or "-" to read it from standard input')
    search.add_argument("-k", type=int, default=5, help="how many passages (default 5)")
    search.add_argument("--json", action="store_true", help="print JSON")
    common(search, embedder=True)
    search.set_defaults(handler=command_search)

    ask = commands.add_parser("ask", help="answer a question with citations")
    ask.add_argument("question", help='the question, or "-" to read it from standard input')
    ask.add_argument("-k", type=int, default=5, help="passages to read (default 5)")
    ask.add_argument("--json", action="store_true", help="print JSON")
    common(ask, embedder=True)
    language_model(ask)
    ask.set_defaults(handler=command_ask)

    evaluate = commands.add_parser("eval", help="measure retrieval and answers on a questions file")
    evaluate.add_argument("questions", help="JSONL file with id, q, lang, answer, evidence, unanswerable")
    evaluate.add_argument("-k", type=int, default=3, help="passages the answerer reads (default 3)")
    evaluate.add_argument("--retrieval-only", action="store_true", help="skip answer metrics")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    common(evaluate, embedder=True)
    language_model(evaluate)
    evaluate.set_defaults(handler=command_eval)

    prepare = commands.add_parser("prepare", help="build now what qa builds on first use (the dictionary's "
                                  "file in the cache folder); make install runs it")
    prepare.set_defaults(handler=command_prepare)

    serve = commands.add_parser("serve", help="start the chat app")
    common(serve)
    serve.add_argument("--corpus", help="folder of releases to build the index from when there is none")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    serve.add_argument("--share", action="store_true", help="make a public Gradio link (off by default)")
    serve.add_argument("--auth", help="require a login, user:password (or QA_AUTH)")
    serve.add_argument("--max-upload-mb", type=float, help="largest file the app accepts (default 20, or QA_MAX_UPLOAD_MB)")
    language_model(serve)
    serve.set_defaults(handler=command_serve)
    return top


def main(argv=None) -> int:
    arguments = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if arguments.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    import bm25s  # noqa: F401  (it sets its own logger to DEBUG when imported; set it back below)

    for chatty in ("bm25s", "httpx", "sentence_transformers", "transformers"):
        logging.getLogger(chatty).setLevel(logging.INFO if arguments.verbose else logging.WARNING)
    try:
        return arguments.handler(arguments) or 0
    except QAError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (qa ask … | head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
