"""PDF finishing: join the laid-out parts, label pages, metadata, profile requirements."""
