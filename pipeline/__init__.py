"""ModRoute's offline pipeline: phases that turn a GGUF base and curated data into modifiers.

base -> curate -> finetune_base -> failures -> distill -> train_lora -> evaluate -> publish

One module per phase in ``pipeline/phases/`` (a dataclass ``Config`` and ``main(config)``); the CLI is
``python -m pipeline``. This package may import ``runtime``; ``runtime`` never imports it.
"""
