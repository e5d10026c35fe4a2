"""The output contract: its schema, the result built from a processed Doc, its tables for people, and its
scoring against gold files."""
