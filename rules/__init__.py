"""Built-in rule packs: data files only; this marker lets them ship inside the package."""
