"""Writing a file so that readers see the old bytes or the new ones, never half of them.

Why one helper: the document cache, the URL snapshots and the run's reports all replace
files other processes may read at the same moment; a crash mid-write must leave no
truncated file behind under the final name.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes | str, *, prefix: str = ".tmp-", suffix: str = "") -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    ``str`` data is written as UTF-8. The temporary file is removed when writing fails.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
