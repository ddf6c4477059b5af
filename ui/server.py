"""Build and serve the web app from a Settings object (``python app.py`` calls ``serve``)."""

from __future__ import annotations

import logging

from runtime.services import Services, create_services
from runtime.settings import Settings


def build_app(services: Services):
    from ui.chat import build_chat

    return build_chat(services)


def serve(settings: Settings | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = settings or Settings()
    services = create_services(settings)
    try:
        demo = build_app(services)
        demo.queue(default_concurrency_limit=16).launch(server_name=settings.host, server_port=settings.port)
    finally:
        services.close()
