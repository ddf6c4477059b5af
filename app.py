"""ModRoute entry point: settings -> services -> web app -> launch.

Nothing heavy happens at import time: the model loads inside ``serve``.
"""

from ui.server import serve

if __name__ == "__main__":
    serve()
