"""Network access shared by document fetching and the crawler: SSRF policy, safe fetch."""
