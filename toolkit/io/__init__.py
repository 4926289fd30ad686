"""Reading inputs (texts, files, folders, JSONL, CSV) and writing results that survive interruption."""
