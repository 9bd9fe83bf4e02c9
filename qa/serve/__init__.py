"""Serving: the service the API and UI call, the FastAPI app and its schemas."""
