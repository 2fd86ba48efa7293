"""Practice: untimed rounds with immediate feedback that are never recorded."""
