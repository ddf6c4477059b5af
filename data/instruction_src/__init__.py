"""Sources for data/build_instructions.py: hand-written tasks and templates, written for ModRoute."""
