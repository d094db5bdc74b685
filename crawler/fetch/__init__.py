"""How the crawler fetches: address policy, limits, content decoding, cookies."""
