"""Answering "what did document X cite, and where is each archived copy?"."""
