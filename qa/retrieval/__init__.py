"""Retrieval: place and year reading, dense + BM25 search, fusion, follow-up rewriting."""
