"""Derives tests/fixtures/cqc/synth_vocabulary.tsv, the real text `cqc synth` draws its names,
streets, providers and places from, out of the real CQC files in a data folder:
    python3 scripts/derive-synth-vocabulary.py /work/shared/data/cqc > tests/fixtures/cqc/synth_vocabulary.tsv
Only organisations' and places' text is kept: no registered managers (never read), no individual
providers (a provider name is kept only if it names an organisation), no location name that
carries a person's title. One line per real location for each kind, so the generator's draws
follow the real frequencies; lines are sorted so the file diffs well.
"""
import csv
import glob
import json
import os
import re
import sys

ORGANISATION = re.compile(
    r"\b(ltd|limited|llp|plc|cic|trust|council|partnership|services?|group|care|healthcare|"
    r"health|nhs|hospital|clinic|practice|surgery|association|society|charity|foundation|"
    r"homes?|centre|company|uk|community|medical|dental|hospice|housing|support)\b",
    re.I,
)
PERSONAL = re.compile(r"\b(dr|mr|mrs|miss|ms|prof|professor|sir)\b\.?", re.I)
PLACE_OUTWARD = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


def clean(text):
    return " ".join((text or "").replace("\t", " ").split())


def main(folder):
    lines = set()
    seen = set()

    def add(key, name, street, town, authority, region, postcode, provider):
        # A location in two files is counted once.
        if key in seen:
            return
        seen.add(key)
        name, street, provider = clean(name), clean(street), clean(provider)
        if provider and not ORGANISATION.search(provider):
            # Probably an individual provider: their location's name and street may be theirs.
            return
        if name and not PERSONAL.search(name):
            lines.add(("name", name, key))
        if street and not PERSONAL.search(street):
            lines.add(("street", street, key))
        if provider and ORGANISATION.search(provider) and not PERSONAL.search(provider):
            lines.add(("provider", provider, key))
        outward = clean(postcode).split(" ")[0].upper()
        town = clean(town).split(",")[-1].strip()
        if town and clean(authority) and clean(region) and PLACE_OUTWARD.match(outward):
            lines.add(("place", f"{town}\t{clean(authority)}\t{clean(region)}\t{outward}", key))

    with open(os.path.join(folder, "uk_private_hospitals_all_2025-11-01.csv"), encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            add(r["CQC Location ID"], r["Hospital Name"], r["Address Line 1"], r["Town/City"],
                r["Local Authority"], r["Region"], r["Postal Code"], r["Provider Name"])
    for file in ("cqc_care_homes.csv", "cqc_hospitals.csv"):
        with open(os.path.join(folder, file), encoding="utf-8-sig") as f:
            for r in csv.DictReader(f):
                add(r["locationId"], r["name"], r["postalAddressLine1"], r["postalAddressTownCity"],
                    r["localAuthority"], r["region"], r["postalCode"], "")
    for path in sorted(glob.glob(os.path.join(folder, "oldham_api_2025-03/location_details/*.json"))):
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        add(d.get("locationId", path), d.get("name"), d.get("postalAddressLine1"),
            d.get("postalAddressTownCity"), d.get("localAuthority"), d.get("region"),
            d.get("postalCode"), "")
    for kind, text, _ in sorted(lines):
        sys.stdout.write(f"{kind}\t{text}\n")


if __name__ == "__main__":
    main(sys.argv[1])
