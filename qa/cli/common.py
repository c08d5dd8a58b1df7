"""What every `qa` command shares: settings from flags and environment, the question
from the command line or standard input, a progress bar only on a terminal."""

from __future__ import annotations

import sys
from dataclasses import replace

from ..settings import Settings


def index_flags(parser, *, embedder: bool = False) -> None:
    """--index and --store (and --embedder): which index, and where it lives."""
    parser.add_argument("--index", help="index folder (default: index, or QA_INDEX)")
    parser.add_argument("--store", help="where vectors and BM25 live: local (default), a Milvus URI "
                        "(http://host:19530) or a milvus-lite file (*.db); or QA_STORE. An index "
                        "remembers its store: add and remove keep it")
    if embedder:
        parser.add_argument("--embedder", help="e5-small-q4 (default) or sentence-transformers:<path or name>")


def language_model_flags(parser) -> None:
    """--llm, --llm-model, --llm-timeout and --precision: how answers are written."""
    parser.add_argument("--llm", metavar="URL", help="answer through an OpenAI-compatible server at this base URL, "
                        "every sentence checked against its citation (e.g. http://127.0.0.1:11434/v1; or QA_LLM; "
                        "the key comes from QA_LLM_KEY)")
    parser.add_argument("--llm-model", metavar="NAME", help="the model's name (or QA_LLM_MODEL; default: the "
                        "first model the server lists)")
    parser.add_argument("--llm-timeout", type=float, metavar="SECONDS", help="give up on the model after this "
                        "long and answer extractively (default 60, or QA_LLM_TIMEOUT)")
    parser.add_argument("--precision", type=float, metavar="P", help="the precision of stated facts to aim for: "
                        "a fact is stated first only when the confidence model is this sure, else the closest "
                        "passage is quoted (default 0.95, or QA_ANSWER_PRECISION; fitted for 0.8, 0.9, 0.95, 0.97, 0.99)")


def app_flags(parser) -> None:
    """The chat app's command line, the same for app.py and `qa serve` (which runs
    app.py with these flags passed on, see `serving.serve_arguments`)."""
    index_flags(parser)
    parser.add_argument("--corpus", help="folder of releases to build the index from when there is none")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    parser.add_argument("--share", action="store_true", help="make a public Gradio link (off by default)")
    parser.add_argument("--auth", help="require a login, user:password (or QA_AUTH)")
    parser.add_argument("--max-upload-mb", type=float,
                        help="largest file the app accepts (default 20, or QA_MAX_UPLOAD_MB)")
    language_model_flags(parser)


def settings_of(arguments) -> Settings:
    """The settings: the environment's (`QA_*`), then the command's flags over them."""
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


def question_of(arguments) -> str:
    """The question from the command line, or from standard input when it is "-"
    (for questions longer than a command line allows). Undecodable bytes are kept as
    lone surrogates, which the library drops."""
    if arguments.question == "-":
        return sys.stdin.buffer.read().decode("utf-8", errors="surrogateescape")
    return arguments.question


def progress(enabled: bool, total: int, description: str, unit: str):
    """A tqdm bar on standard error when `enabled` and it is a terminal, else None."""
    import contextlib

    if not enabled or not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    from tqdm import tqdm

    return tqdm(total=total, desc=description, unit=unit, file=sys.stderr, dynamic_ncols=True, leave=False)
