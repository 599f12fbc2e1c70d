"""Khabar's benchmark code (importable as ``khabar.benchmarks``): scoring and the leaderboard."""
