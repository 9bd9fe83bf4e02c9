"""corpus: reading reports in any encoding, cleaning, metadata, paragraphs and chunks."""
from corpus.records import Chunk, Document, Paragraph

__all__ = ["Chunk", "Document", "Paragraph"]
