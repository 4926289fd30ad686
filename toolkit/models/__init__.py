"""Models: the shipped catalogue, where models live, and how they are loaded."""
