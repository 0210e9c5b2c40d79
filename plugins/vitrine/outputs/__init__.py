"""Every view of the validated directory: pages, exports, feeds, calendars, search, digest."""
