"""Answering: evidence selection, prompting, the answer pipeline and its grounding checks."""
