"""Reading: text, HTML, JSONL, CSV, gzip, folders and manifests in; checked Articles (or Failures) out."""
