"""Demo data steps, one module per feature, run in file-name order (s10_…, s20_…)."""
