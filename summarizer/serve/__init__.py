"""``python -m summarizer serve``: the HTTP API and the editor's page, with the models loaded once."""
from summarizer.serve.app import ServiceSettings, create_app
from summarizer.serve.worker import ModelWorker

__all__ = ["ModelWorker", "ServiceSettings", "create_app"]
