"""Content: files → a validated Directory (read, validate, link), with French errors."""
