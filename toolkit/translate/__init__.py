"""Translation: the Translator interface, its backends and the wrappers that compose around it."""
