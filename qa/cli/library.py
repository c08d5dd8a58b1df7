"""`qa build`, `add`, `remove`, `list` and `inspect`: the library of documents.

Design choice: each command prints every file's outcome once (added, replaced,
duplicate, rejected, conflict, removed, not found) and exits 1 when a file was not
added or removed; `--json` prints one JSON document instead. Names in `qa list` wrap
at the terminal's width (by display width, for Japanese titles) unless `--wide`.
"""

from __future__ import annotations

import json
import sys

from ..errors import NothingIndexedError
from .common import settings_of


def command_build(arguments) -> int:
    from ..building import build_index

    settings = settings_of(arguments)
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
        if any(outcome.outcome in ("added", "replaced", "removed") for outcome in report.outcomes):
            print(f"index: {len(index.documents())} document(s), {len(index)} chunks; "
                  f"{report.embedded_sentences} sentences embedded, in {report.seconds:.1f} s -> {index.folder}")
        else:  # nothing changed: no build line after "not found" (a new-user session found it confusing)
            print(f"index unchanged: {len(index.documents())} document(s), {len(index)} chunks")
    if any(outcome.outcome == "conflict" for outcome in report.outcomes) and not arguments.json:
        print("hint: add --replace to replace the indexed version", file=sys.stderr)
    return int(any(outcome.outcome in ("rejected", "conflict", "not found") for outcome in report.outcomes))


def command_add(arguments) -> int:
    from ..library import add_documents

    settings = settings_of(arguments)
    index = add_documents(settings.index_dir, arguments.paths, replace=arguments.replace,
                          progress=not (arguments.quiet or arguments.json), settings=settings)
    return _print_outcomes(index, arguments)


def command_remove(arguments) -> int:
    from ..library import remove_documents

    settings = settings_of(arguments)
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
    from ..storage import build_folder, read_manifest
    from ..library import document_infos

    settings = settings_of(arguments)
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
    from ..ingest.documents import load_document

    settings = settings_of(arguments)
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
