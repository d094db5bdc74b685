"""Taking a document in: reading the source, extracting citations, storing it."""
