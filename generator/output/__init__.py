"""Output: the versioned document and the wording exporters share, and atomic file writes."""
