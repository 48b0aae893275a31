"""cityplan: government plans turned into who-does-what."""

__version__ = "0.1.0"
