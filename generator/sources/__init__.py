"""Input from files: bounded reads, strict YAML with a line for every value, the parse cache."""
