"""eval: question sets, metrics as pure functions, runners, reports and benchmarks."""
