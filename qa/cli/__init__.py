"""The `qa` command line: build, add, remove, list, inspect, search, ask, eval, prepare and serve.

Design choice: a thin layer over the library. It configures logging, turns typed
`QAError`s into one-line messages on stderr with exit code 1 (each printed once: the
library's own log lines about the same files stay below WARNING), and prints either
human-readable text or, with `--json`, one JSON document. This module holds the
parser and `main`; the commands live by what they act on: `library` (build, add,
remove, list, inspect), `questions` (search, ask, eval), `serving` (prepare, serve),
with what they share in `common`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from ..errors import QAError
from .library import command_add, command_build, command_inspect, command_list, command_remove
from .questions import command_ask, command_eval, command_search
from .common import app_flags, index_flags, language_model_flags
from .serving import command_prepare, command_serve, serve_arguments

__all__ = ["main", "parser", "serve_arguments"]


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="qa", description="Answers about press releases, with citations.")
    top.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = top.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build", help="build the index from release files")
    build.add_argument("paths", nargs="*", help="files or folders (default: corpus/)")
    index_flags(build, embedder=True)
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
    index_flags(add)
    add.add_argument("--file-timeout", type=float, metavar="SECONDS",
                     help="give up on a file that takes longer to read (default 120, or QA_FILE_TIMEOUT)")
    add.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    add.add_argument("--json", action="store_true", help="print JSON")
    add.set_defaults(handler=command_add)

    remove = commands.add_parser("remove", help="remove documents from the index (nothing is embedded)")
    remove.add_argument("names", nargs="+", help="document names (as `qa list` shows them) or ids, or the "
                        "beginning of exactly one document's name or id")
    index_flags(remove)
    remove.add_argument("--json", action="store_true", help="print JSON")
    remove.set_defaults(handler=command_remove)

    listing = commands.add_parser("list", help="list the indexed documents")
    index_flags(listing)
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
    index_flags(search, embedder=True)
    search.set_defaults(handler=command_search)

    ask = commands.add_parser("ask", help="answer a question with citations")
    ask.add_argument("question", help='the question, or "-" to read it from standard input')
    ask.add_argument("-k", type=int, default=5, help="passages to read (default 5)")
    ask.add_argument("--json", action="store_true", help="print JSON")
    index_flags(ask, embedder=True)
    language_model_flags(ask)
    ask.set_defaults(handler=command_ask)

    evaluate = commands.add_parser("eval", help="measure retrieval and answers on a questions file")
    evaluate.add_argument("questions", help="JSONL file with id, q, lang, answer, evidence, unanswerable")
    evaluate.add_argument("-k", type=int, default=3, help="passages the answerer reads (default 3)")
    evaluate.add_argument("--retrieval-only", action="store_true", help="skip answer metrics")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    index_flags(evaluate, embedder=True)
    language_model_flags(evaluate)
    evaluate.set_defaults(handler=command_eval)

    prepare = commands.add_parser("prepare", help="build now what qa builds on first use (the dictionary's "
                                  "file in the cache folder); make install runs it")
    prepare.set_defaults(handler=command_prepare)

    serve = commands.add_parser("serve", help="start the chat app")
    app_flags(serve)
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

