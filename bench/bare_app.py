"""The bare baseline: a minimal Flask app with one POST JSON endpoint, served by gunicorn
with the same settings as quizapp in the same run (`gunicorn bare_app:app`, from bench/).

Its throughput is what Flask, gunicorn and the load generator manage on this machine with no
application work; rush.ratio_to_bare divides the answer-save throughput by it.
"""

from __future__ import annotations

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/answers")
def answers():
    """Accept a JSON answer and acknowledge it, as the real endpoint's shape does."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return jsonify(error="bad_request"), 400
    return jsonify(saved=True, seconds_left=600)


@app.get("/healthz")
def healthz():
    """Readiness probe for the bench harness."""
    return jsonify(status="ok")
