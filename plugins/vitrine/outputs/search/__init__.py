"""Site search: the Pagefind index, in shards."""
