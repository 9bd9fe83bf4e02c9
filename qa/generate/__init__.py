"""Generator backends behind one protocol: llama.cpp (default), transformers, OpenAI-compatible HTTP."""
from qa.generate.base import EchoGenerator, GenerationError, Generator, make_generator

__all__ = ["EchoGenerator", "GenerationError", "Generator", "make_generator"]
