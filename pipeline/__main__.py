"""``python -m pipeline``: loading the pipeline's libraries takes seconds, and Ctrl-C
meanwhile ends it with one line too, as it does later (``pipeline.cli``)."""

import sys

try:
    from pipeline.cli import main
except KeyboardInterrupt:
    print("interrupted while starting: nothing was changed", file=sys.stderr)
    sys.exit(130)

sys.exit(main())
