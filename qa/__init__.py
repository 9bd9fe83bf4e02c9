"""qa: retrieval, prompting, generation, grounding checks, the answer pipeline, the API and CLI."""
