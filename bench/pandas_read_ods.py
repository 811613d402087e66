"""The analyst's alternative to `cqc ingest`: pandas (with odfpy) reading a Latest ratings ODS.

Prints one JSON line: rows and columns read, and seconds spent importing pandas and reading the
file. scripts/bench.sh runs it under /usr/bin/time -v for peak memory, with a memory cap and a
time limit so a national file cannot take the machine down.
"""

import json
import sys
import time

started = time.perf_counter()
import pandas as pd  # noqa: E402  (the import is timed on purpose)

imported = time.perf_counter()
# The first row is a note (CQC's files and the synthetic one both have one); the header is next.
frame = pd.read_excel(sys.argv[1], engine="odf", header=1)
read = time.perf_counter()
print(
    json.dumps(
        {
            "rows": int(len(frame)),
            "columns": int(len(frame.columns)),
            "import_s": imported - started,
            "read_s": read - imported,
            "pandas": pd.__version__,
        }
    )
)
