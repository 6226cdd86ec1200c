"""Collaboration: live chat and shared documents that merge concurrent edits."""
