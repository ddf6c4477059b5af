"""ModRoute entry point: settings -> services -> web app (UI + OpenAI-compatible API) -> serve.

Nothing heavy happens at import time: the model loads inside ``serve``.
"""

from runtime.settings import Settings
from ui.server import serve

if __name__ == "__main__":
    serve(Settings())
