"""Language-aware text handling: layout, sentences, normalisation."""
