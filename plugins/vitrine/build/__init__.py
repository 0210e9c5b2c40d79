"""The build: Pelican's generator as a list of phases, incremental records, the audit."""
