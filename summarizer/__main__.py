import logging
import os
import sys

from summarizer.cli import main

code = main()
if sys.argv[1:2] == ["run"]:
    # Tearing down torch's and transformers' objects at interpreter exit takes about 0.8 s and
    # does nothing for `run`: its output is written and closed once main() returns. Flush what
    # is buffered and leave at once (`batch` starts Ray, whose exit hooks must run).
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a reader that went away (`| head`) is not our failure
        pass
    logging.shutdown()
    os._exit(code)
sys.exit(code)
