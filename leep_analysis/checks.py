"""Checks across inputs, run after each input has loaded cleanly on its own.

For example: the LA the period reports on must exist in the benchmark data and
the neighbours workbook it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import Problem
from .registry import INPUTS

if TYPE_CHECKING:
    from .inputs import Inputs


def la_code_known(inputs: Inputs) -> list[Problem]:
    """The params' LA must appear in every loaded input that lists LAs."""
    code = inputs.params.la_code
    problems = []
    keys = [spec.key for spec in inputs.needed()]
    if "lait" in keys:
        lait = inputs.get("lait")
        if not (lait["la_code"] == code).any():
            where = inputs.files("lait")[0].path
            problems.append(Problem(str(where), f"LA code {code} is not in this benchmark file", key="la_code"))
    if "lait" in keys and inputs.params.comparators:
        known = set(inputs.get("lait")["la_code"])
        unknown = [c for c in inputs.params.comparators if c not in known]
        if unknown:
            where = inputs.files("lait")[0].path
            problems.append(Problem(str(where), f"comparator LA code(s) {', '.join(unknown)} not in this benchmark "
                                    "file: their neighbour means would be blank", key="comparators"))
    if "neighbours" in keys:
        neighbours = inputs.get("neighbours")
        if not (neighbours["la_code"] == code).any() and not inputs.params.comparators:
            where = inputs.files("neighbours")[0].path
            problems.append(Problem(str(where), f"LA code {code} has no statistical neighbours in this file", key="la_code"))
    return problems


def performance_covers_la(inputs: Inputs) -> list[Problem]:
    """The school performance files must hold results for at least one school of the params' LA."""
    if "school_performance" not in [spec.key for spec in inputs.needed()]:
        return []
    code = inputs.params.la_code
    if (inputs.get("school_performance")["la_code"] == code).any():
        return []
    where = ", ".join(str(f.path) for f in inputs.files("school_performance"))
    return [Problem(where, f"no school results for LA {code} in these performance tables",
                    key="data.school_performance")]


def budget_ledger_consistent(inputs: Inputs) -> list[Problem]:
    """The budget ledger against the budgets file and, where registered, the establishments list.

    Errors: ledger rows of a fund and year with no allocation; URNs not in the
    establishments list (only when both files are the LA's own, or both the
    sample). Warnings: overpaid commitments, payees that look like schools but
    have no payee URN (see ``sources.budget``).
    """
    if "budget_ledger" not in [spec.key for spec in inputs.needed()]:
        return []
    from .sources import budget

    ledger = inputs.get("budget_ledger")
    source = str(inputs.files("budget_ledger")[0].path)
    problems = budget.missing_allocations(ledger, inputs.get("budgets"), inputs.params.as_at, source)
    problems += budget.ledger_warnings(ledger, source)
    if "establishments" in INPUTS and inputs.is_sample("establishments") == inputs.is_sample("budget_ledger"):
        problems += budget.unknown_urns(ledger, inputs.get("establishments"), source)
    return problems


def support_register_consistent(inputs: Inputs) -> list[Problem]:
    """The support register against the establishments list and links, where registered.

    Errors: URNs in neither the establishments list nor its links (only when
    both files are the LA's own, or both the sample). Warnings: episodes whose
    status says they finished but which have no end date (see
    ``sources.support_register``).
    """
    if "support_register" not in [spec.key for spec in inputs.needed()]:
        return []
    from .sources import support_register

    register = inputs.get("support_register")
    source = str(inputs.files("support_register")[0].path)
    problems = support_register.register_warnings(register, source)
    known = _known_urns(inputs, "support_register")
    if known is not None:
        problems += support_register.unknown_urns(register, known, source)
    return problems


def _known_urns(inputs: Inputs, key: str) -> set[str] | None:
    """URNs of the establishments list and its links, to check an LA register against.

    None (no check) unless the register and the establishments list are both
    the LA's own files or both the sample.
    """
    if "establishments" not in INPUTS or inputs.is_sample("establishments") != inputs.is_sample(key):
        return None
    known = set(inputs.get("establishments")["urn"].astype(str))
    if "establishment_links" in INPUTS:
        links = inputs.get("establishment_links")
        known |= set(links["urn"].astype(str)) | set(links["link_urn"].astype(str))
    return known


def concerns_registers_consistent(inputs: Inputs) -> list[Problem]:
    """The concerns log and the school intelligence register name only known schools."""
    from .sources import support_register

    problems: list[Problem] = []
    for key in ("concerns_log", "school_intelligence"):
        if key not in [spec.key for spec in inputs.needed()]:
            continue
        known = _known_urns(inputs, key)
        if known is not None:
            problems += support_register.unknown_urns(inputs.get(key), known, str(inputs.files(key)[0].path))
    return problems


def ofsted_covers_la(inputs: Inputs) -> list[Problem]:
    """The Ofsted MI must have a snapshot as at or before the params' ``as_at`` that lists schools of its LA."""
    if "ofsted_mi" not in [spec.key for spec in inputs.needed()]:
        return []
    import pandas as pd

    params = inputs.params
    mi = inputs.get("ofsted_mi")
    where = ", ".join(str(f.path) for f in inputs.files("ofsted_mi"))
    usable = mi[pd.to_datetime(mi["as_at"]) <= pd.Timestamp(params.as_at)]
    if usable.empty:
        return [Problem(where, f"no Ofsted snapshot as at or before {params.as_at}", key="data.ofsted_mi")]
    if not (usable["la_code"] == params.la_code).any():
        return [Problem(where, f"no schools of LA {params.la_code} in these Ofsted snapshots", key="la_code")]
    return []


def narrative_images_named(inputs: Inputs) -> list[Problem]:
    """Each image the narrative shows is one of ``data: narrative_images`` (by file name); an image named
    there that the narrative does not show is a warning."""
    if "narrative" not in [spec.key for spec in inputs.needed()]:
        return []
    shown = inputs.get("narrative").get("images", [])
    given = inputs.get("narrative_images")
    source = str(inputs.files("narrative")[0].path)
    problems = [Problem(source, f"image '{image['name']}' is not one of the files under data: narrative_images; "
                        "name it there (the narrative shows only the LA's own images, copied into the pack)",
                        row=image["row"]) for image in shown if image["name"] not in given]
    unused = sorted(set(given) - {image["name"] for image in shown})
    problems += [Problem(str(f.path), "the narrative does not show it (write ![what it shows](" + f.path.name + "))",
                         key="data.narrative_images", warning=True)
                 for f in inputs.files("narrative_images") if f.path.name in unused]
    return problems


def free_text_identifies(inputs: Inputs) -> list[Problem]:
    """A committee pack's free text naming a school or a person (``identifying.problems``): refused, one line each,
    unless the params say ``committee: free_text: replace``."""
    meeting = inputs.params.committee
    if meeting is None or meeting.free_text != "refuse":
        return []
    from . import identifying

    return identifying.problems(inputs)


CHECKS = [la_code_known, performance_covers_la, budget_ledger_consistent, support_register_consistent,
          concerns_registers_consistent, ofsted_covers_la, narrative_images_named, free_text_identifies]


def cross_checks(inputs: Inputs) -> list[Problem]:
    """Run every cross-input check and return all problems found."""
    return [p for check in CHECKS for p in check(inputs)]


def validate(inputs: Inputs) -> list[Problem]:
    """Every problem with a pack's inputs: each loaded and checked (``Inputs.validate``), then, where none
    was found (warnings aside), the checks across them (``cross_checks``)."""
    problems = inputs.validate()
    if not any(not p.warning for p in problems):  # a warning (a file no section reads) leaves them to run
        problems.extend(cross_checks(inputs))
    return problems
