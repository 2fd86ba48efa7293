"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi …`."""

from quizapp import create_app, settle_server_process

app = create_app()
settle_server_process()
