"""Accounts: sign-up, log-in, browser sessions, API tokens, passwords."""
