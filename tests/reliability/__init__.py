"""Reliability tests (DESIGN §9): crash safety, hostile input, two processes on one project."""
