"""JSON schemas the project ships (custom resources kubernetes-validate does not know)."""
