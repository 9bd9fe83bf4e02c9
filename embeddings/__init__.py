"""embeddings: the sentence encoder and the FAISS index on disk with its manifest."""
