"""On the way in: the network guard, robots.txt and politeness, redirects, conditional
GET, backpressure, why a fetch failed, sitemaps for shards."""
