#!/usr/bin/env python3
"""Derive tests/fixtures/conformance/hospital_service_ratings.json from CQC's API data in
cqc_hospitals.csv (see tests/fixtures/conformance/SOURCES.md).

That file stores nested API fields as Python literals; this keeps only the rating fields of the
19 locations with core-service ratings (no names of people: `regulatedActivities` is dropped).
Run once: python3 scripts/extract_hospital_services.py ../shared/data/cqc/cqc_hospitals.csv
"""
import ast
import csv
import json
import sys


def main(path: str) -> None:
    out = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            raw = row.get("currentRatings") or ""
            if not raw or raw == "nan":
                continue
            ratings = ast.literal_eval(raw)
            services = ratings.get("serviceRatings") or []
            if not services:
                continue
            overall = ratings.get("overall") or {}
            out.append({
                "locationId": row["locationId"],
                "name": row["name"],
                "overall": {
                    "rating": overall.get("rating"),
                    "reportDate": overall.get("reportDate"),
                    "keyQuestionRatings": [
                        {"name": k["name"], "rating": k["rating"], "reportDate": k.get("reportDate")}
                        for k in overall.get("keyQuestionRatings", [])
                    ],
                },
                "serviceRatings": [
                    {
                        "name": s["name"],
                        "rating": s.get("rating"),
                        "reportDate": s.get("reportDate"),
                        "keyQuestionRatings": [
                            {"name": k["name"], "rating": k["rating"]}
                            for k in s.get("keyQuestionRatings", [])
                        ],
                    }
                    for s in services
                ],
            })
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
