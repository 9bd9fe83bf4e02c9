"""ui: the Gradio chat app, mounted into the API at '/'."""
