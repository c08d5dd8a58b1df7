"""What every `qa` command shares: settings from flags and environment, the question
from the command line or standard input, a progress bar only on a terminal."""

from __future__ import annotations

import sys
from dataclasses import replace

from ..settings import Settings


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
