"""Demo data steps, one module per feature, run in file-name order (s10_…, s20_…).

The demo lives in the school year 2025/2026 whatever the machine's clock says: every date a step writes is
counted from `DEMO_DAY`, a fixed day inside that year (the plan is executed up to May, attestations fall due in
the following months). `oms-demo` runs the app with its today pinned to that day (README, «Demo day»).
"""
from datetime import date

DEMO_START_YEAR = 2025
DEMO_DAY = date(2026, 5, 15)
