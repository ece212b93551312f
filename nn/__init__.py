"""pathgrad's neural-network package, built only on the public ``autograd`` API."""
