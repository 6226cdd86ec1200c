"""Points, achievements, streaks and leaderboards."""
