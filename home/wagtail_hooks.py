"""Home's content hooks. Serving (caches, the viewer's rule) has its own in serving/."""
