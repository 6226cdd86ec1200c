"""Typed events published after commit, for live updates."""
