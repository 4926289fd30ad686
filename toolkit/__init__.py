"""toolkit: summarise, translate and score multilingual news."""

__version__ = "0.1.0"
