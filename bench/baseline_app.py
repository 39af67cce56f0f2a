"""A bare Flask app, the baseline the benchmarks measure Denial Radar against.

Run under the same gunicorn settings as the real app:
    gunicorn --workers 2 --worker-class sync "bench.baseline_app:create_baseline_app()"

/json  answers a fixed JSON object shaped and sized like a payment estimate (~0.7-1 KB),
       with no database, no extensions and no templates: what Flask alone costs.
/file  sends the file named by the BASELINE_FILE environment variable with send_file.
/body  answers the JSON file named by BASELINE_JSON, read once at start: a bare view returning a
       pre-rendered JSON body of a given size (the dashboard's own bytes, say).
/echo  (POST) reads a JSON body and answers 201 with a small JSON object, as a report submission does.
"""
import os

from flask import Flask, Response, abort, jsonify, request, send_file

# The shape of /api/v1/codes/<code>/payment's answer, with made-up figures.
PAYLOAD = {
    "code": "20553",
    "year": 2026,
    "row_modifier": "",
    "setting": "non_facility",
    "status_code": "A",
    "payable": True,
    "locality": "10112-00",
    "locality_name": "ALABAMA (AL)",
    "conversion_factor": "33.4009",
    "components": [
        {"name": "work", "rvu": "0.73", "gpci": "1.000", "adjusted_rvu": "0.7300"},
        {"name": "practice_expense", "rvu": "0.98", "gpci": "0.875", "adjusted_rvu": "0.8575"},
        {"name": "malpractice", "rvu": "0.08", "gpci": "0.566", "adjusted_rvu": "0.0453"},
    ],
    "total_adjusted_rvu": "1.6328",
    "fee_schedule_amount": "54.54",
    "adjustments": [
        {"modifier": "51", "factor": "0.5",
         "rule": "Multiple procedure indicator 2: a second or later procedure is paid at 50%."},
    ],
    "amount": "27.27",
    "non_participating_amount": "25.90",
    "limiting_charge": "28.30",
    "notes": ["Baseline payload: fixed figures, no database."],
}


def create_baseline_app() -> Flask:
    app = Flask(__name__)
    app.json.sort_keys = False

    @app.get("/json")
    def json_view():
        return jsonify(PAYLOAD)

    @app.get("/file")
    def file_view():
        path = os.environ.get("BASELINE_FILE")
        if not path or not os.path.isfile(path):
            abort(404, description="Set BASELINE_FILE to an existing file.")
        return send_file(path)

    body_path = os.environ.get("BASELINE_JSON")
    body = open(body_path, "rb").read() if body_path else None

    @app.get("/body")
    def body_view():
        if body is None:
            abort(404, description="Set BASELINE_JSON to an existing file.")
        return Response(body, mimetype="application/json")

    @app.post("/echo")
    def echo_view():
        body = request.get_json()
        return jsonify({"id": 1, "receipt": "baseline", "code": body.get("code"), "report_count": 1, "threshold": 5}), 201

    return app
