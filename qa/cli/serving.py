"""`qa prepare` and `qa serve`: the dictionary built ahead of first use, and the app.

Design choice: `qa serve` runs app.py's own `main` with its flags translated, so the
app has one command line whichever way it is started.
"""

from __future__ import annotations

import sys

from ..errors import QAError
from .common import settings_of


def command_prepare(arguments) -> int:
    """Build now what qa would otherwise build on first use: the dictionary's
    compact file in the cache folder (about half a minute, once)."""
    import time

    from ..search import dictionary

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
    argv = ["--index", settings_of(arguments).index_dir, "--host", arguments.host, "--port", str(arguments.port)]
    if arguments.share:
        argv.append("--share")
    for flag in ("store", "corpus", "auth", "max_upload_mb", "llm", "llm_model", "llm_timeout", "precision"):
        value = getattr(arguments, flag, None)
        if value is not None and value != "":
            argv += [f"--{flag.replace('_', '-')}", str(value)]
    return argv


def command_serve(arguments) -> int:
    import importlib.util
    from pathlib import Path

    app_path = Path(__file__).resolve().parent.parent.parent / "app.py"
    if not app_path.exists():
        raise QAError(f"app.py not found next to the qa package ({app_path})")
    spec = importlib.util.spec_from_file_location("qa_app", app_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main(serve_arguments(arguments))
