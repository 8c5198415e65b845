# ruff: noqa: E501  (a table of translations reads best one message per line)
"""Fill the Norwegian (nb) translations of the reports app's messages.

Run after ``u4ssc manage makemessages -l nb`` in ``src/u4ssc/apps/reports``:
``python tools/reports_translations.py``. Strings that carry a per cent sign but are never
%-formatted lose xgettext's ``python-format`` flag, which would otherwise make msgfmt read
"95 %+ of" as a conversion and refuse a translation that words it differently.
"""

from __future__ import annotations

import re
from pathlib import Path

PO = (
    Path(__file__).resolve().parent.parent
    / "src/u4ssc/apps/reports/locale/nb/LC_MESSAGES/django.po"
)

NB = {
    "City Snapshot %(city)s %(year)s (%(format)s)": "Byrapport %(city)s %(year)s (%(format)s)",
    "National programme report %(group)s %(year)s (%(format)s)": "Rapport for nasjonalt program %(group)s %(year)s (%(format)s)",
    "95 %+ of target": "95 %+ av målet",
    "66-95 %": "66–95 %",
    "33-66 %": "33–66 %",
    "less than 33 % of target": "under 33 % av målet",
    "not scored": "ikke vurdert",
    "on track or maintaining": "i rute eller holder nivået",
    "moderately improving": "moderat forbedring",
    "stagnating": "stagnerer",
    "decreasing": "går tilbake",
    "on track": "i rute",
    "acceleration needed": "må akselerere",
    "limited progress": "begrenset fremgang",
    "deterioration": "forverring",
    "no trend": "ingen trend",
    "%(low)s to %(high)s": "%(low)s til %(high)s",
    "not available": "ikke tilgjengelig",
    "not applicable": "ikke relevant",
    "not reported": "ikke rapportert",
    "Page": "Side",
    "of": "av",
    "Synthetic demo data": "Syntetiske demodata",
    "synthetic": "syntetisk",
    "Values marked “synthetic” were generated for the demo; they are not real data.": "Verdier merket «syntetisk» er laget for demoen; de er ikke ekte data.",
    "Not published: verification is not finished": "Ikke publisert: verifiseringen er ikke ferdig",
    "Made on %(date)s by the U4SSC platform": "Laget %(date)s av U4SSC-plattformen",
    "Target set": "Målsett",
    "Legend": "Tegnforklaring",
    "Method and caveats": "Metode og forbehold",
    "Method": "Metode",
    "Summary": "Sammendrag",
    "Band": "Nivå",
    "Share of maximum points": "Andel av maksimale poeng",
    "KPIs scored": "KPI-er vurdert",
    "Trend": "Trend",
    "Dimension": "Dimensjon",
    "Sub-dimension": "Underdimensjon",
    "Category": "Kategori",
    "Code": "Kode",
    "KPI": "KPI",
    "Value": "Verdi",
    "Unit": "Enhet",
    "Target": "Mål",
    "Data quality": "Datakvalitet",
    "Data-quality grades": "Grader for datakvalitet",
    "Source": "Kilde",
    "Year": "År",
    "City": "By",
    "yes": "ja",
    "no": "nei",
    "Scores compare each reported KPI value with the target of the target set “%(name)s”. Another target set (a national set, a city's own goals) gives other scores for the same values.": "Poengene sammenligner hver rapporterte KPI-verdi med målet i målsettet «%(name)s». Et annet målsett (et nasjonalt sett, byens egne mål) gir andre poeng for de samme verdiene.",
    "Method: SDSN normalisation. Each value is put on a 0-100 scale where 100 meets the target and 0 is the lower bound; colours green, yellow, orange and red. It is not the U4SSC points method.": "Metode: SDSN-normalisering. Hver verdi settes på en skala fra 0 til 100 der 100 når målet og 0 er nedre grense; fargene er grønn, gul, oransje og rød. Det er ikke U4SSCs poengmetode.",
    "Method: U4SSC distance to target. A KPI's achievement is its value as a share of the target (target / value where lower is better), capped at 100 %. It earns 4 points at 95 % and more, 3 from 66 %, 2 from 33 % and 1 below. A category, sub-dimension or dimension shows its points as a share of the maximum (4 points per scored KPI), in the same four bands.": "Metode: U4SSC avstand til mål. En KPIs måloppnåelse er verdien som andel av målet (mål / verdi der lavere er bedre), høyst 100 %. Den gir 4 poeng ved 95 % og mer, 3 fra 66 %, 2 fra 33 % og 1 under det. En kategori, underdimensjon eller dimensjon viser poengene sine som andel av maksimum (4 poeng per vurdert KPI), i de samme fire nivåene.",
    "Trends compare the year with the first year the city reported the KPI: at the pace observed, will the target be met by %(year)s? (%(kind)s)": "Trender sammenligner året med det første året byen rapporterte KPI-en: vil målet nås innen %(year)s i det tempoet vi ser? (%(kind)s)",
    "SDSN linear rate": "SDSNs lineære takt",
    "Statistics Canada compound growth": "Statistics Canadas årlige vekstrate",
    "KPIs without a target in this set, and KPIs not reported, are not scored.": "KPI-er uten mål i dette settet, og KPI-er som ikke er rapportert, får ingen poeng.",
    "Small differences are not significant: two cities a few points or 2-3 ranks apart perform about the same.": "Små forskjeller er ikke signifikante: to byer som skiller seg med noen få poeng eller 2–3 plasser, presterer omtrent likt.",
    "U4SSC points and SDSN scores answer different questions and are not comparable with each other.": "U4SSC-poeng og SDSN-skårer svarer på ulike spørsmål og kan ikke sammenlignes med hverandre.",
    "Data quality is graded 1 (accurate measurements) to 6 (unknown methodology); read a value of grade 5 or 6 with care.": "Datakvaliteten graderes fra 1 (nøyaktige målinger) til 6 (ukjent metode); les en verdi med grad 5 eller 6 med forsiktighet.",
    "no target": "uten mål",
    "City Snapshot": "Byrapport (City Snapshot)",
    "Every KPI": "Alle KPI-er",
    "KPIs": "KPI-er",
    "Dimensions": "Dimensjoner",
    "Benchmarking wheel: categories by share of maximum points": "Sammenligningshjul: kategorier etter andel av maksimale poeng",
    "KPIs reported": "KPI-er rapportert",
    "KPIs scored against a target": "KPI-er vurdert mot et mål",
    "reported, no target (not scored)": "rapportert, uten mål (ikke vurdert)",
    "KPIs not reported": "KPI-er ikke rapportert",
    "Country": "Land",
    "Population": "Innbyggere",
    "Published": "Publisert",
    "No KPI of this year could be scored against this target set.": "Ingen KPI for dette året kunne vurderes mot dette målsettet.",
    "National programme report": "Rapport for nasjonalt program",
    "Heatmap: categories by share of maximum points": "Varmekart: kategorier etter andel av maksimale poeng",
    "Heatmap": "Varmekart",
    "Progress": "Utvikling",
    "Each cell is a city's category score (share of maximum points, %); an empty cell has no scored KPI.": "Hver celle er en bys poeng i kategorien (andel av maksimale poeng, %); en tom celle har ingen vurdert KPI.",
    "Shared opportunities": "Felles muligheter",
    "KPIs where cities fall below 66 % of the target, most often first: candidates for joint projects.": "KPI-er der byer ligger under 66 % av målet, de vanligste først: kandidater til felles prosjekter.",
    "Cities below 66 %": "Byer under 66 %",
    "of cities scored": "av byer vurdert",
    "Each city's progress": "Hver bys utvikling",
    "Dimension scores (share of maximum points) in each published year.": "Poeng per dimensjon (andel av maksimale poeng) i hvert publiserte år.",
    "no published data this year": "ingen publiserte data dette året",
    "Cities": "Byer",
    "None: no KPI falls below 66 % of its target in this group.": "Ingen: ingen KPI ligger under 66 % av målet i denne gruppen.",
    "National report for": "Nasjonal rapport for",
    "Download national report (PDF)": "Last ned nasjonal rapport (PDF)",
    "Download national report (xlsx)": "Last ned nasjonal rapport (xlsx)",
    "not published: for the people working on this data": "ikke publisert: for dem som arbeider med disse dataene",
    "Download City Snapshot (PDF)": "Last ned byrapport (PDF)",
    "Download City Snapshot (xlsx)": "Last ned byrapport (xlsx)",
    # Data-quality grades (evaluations.models.Quality) as the reports print them.
    "Based on accurate measurements": "Basert på nøyaktige målinger",
    "Reliable data with minor gaps": "Pålitelige data med små hull",
    "Estimated from reliable data": "Anslått fra pålitelige data",
    "Extrapolated or modelled": "Ekstrapolert eller modellert",
    "Expert judgement, partly traceable": "Ekspertvurdering, delvis sporbar",
    "Unknown methodology, not traceable": "Ukjent metode, ikke sporbar",
}
NOT_FORMATTED = {
    "95 %+ of target",
    "less than 33 % of target",
    "None: no KPI falls below 66 % of its target in this group.",
    "Each cell is a city's category score (share of maximum points, %); an empty cell has no scored KPI.",
    "KPIs where cities fall below 66 % of the target, most often first: candidates for joint projects.",
    "Cities below 66 %",
    "66-95 %",
    "33-66 %",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    text = PO.read_text(encoding="utf-8")
    # makemessages --no-location leaves no blank line between the header and the first entry
    text = re.sub(r"(Plural-Forms:[^\n]*\n)(?=[#m])", r"\1\n", text)
    blocks = text.split("\n\n")
    head, entries = blocks[0].replace("#, fuzzy\n", ""), blocks[1:]
    head = head.replace(
        "Content-Type: text/plain; charset=CHARSET", "Content-Type: text/plain; charset=UTF-8"
    )
    head = re.sub(r'"Language: \\n"', r'"Language: nb\\n"', head)
    out, seen = [head], set()
    for block in entries:
        match = re.search(r'msgid ((?:".*"\n?)+)msgstr', block)
        if not match:
            continue
        msgid = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1)))
        msgid = msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        seen.add(msgid)
        flags = [ln for ln in block.splitlines() if ln.startswith("#,")]
        lines = [ln for ln in block.splitlines() if ln.startswith("#") and not ln.startswith("#,")]
        kept = [f.replace("python-format", "").replace(", ,", ",").strip() for f in flags]
        if msgid not in NOT_FORMATTED:
            kept = flags
        lines += [f for f in kept if f not in ("#,", "#, ")]
        lines.append(f"msgid {_quote(msgid)}")
        lines.append(f"msgstr {_quote(NB.get(msgid, ''))}")
        out.append("\n".join(lines))
    for msgid in NB:
        if msgid not in seen:
            out.append(f"msgid {_quote(msgid)}\nmsgstr {_quote(NB[msgid])}")
    PO.write_text("\n\n".join(out) + "\n", encoding="utf-8")
    missing = sorted(seen - set(NB))
    if missing:
        raise SystemExit(f"no Norwegian for: {missing}")


if __name__ == "__main__":
    main()
