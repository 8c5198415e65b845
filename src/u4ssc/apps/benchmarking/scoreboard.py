"""The scores of all published data against one target set, built once and kept in memory.

Scoring compares cities with each other (the SDSN lower bound is a percentile of the
compared cities, ranks, shared opportunities), so pages do not score per request. A
:class:`Scoreboard` holds every published value as a ``[cities, measurands, years]`` array
and the core engine's result for one target set. It is built from one query of published
values and kept in this process, keyed by the target set; a cheap *data version* (one
query: the target set with the count and latest change of its targets and of published
evaluations) tells when to rebuild it.

What the version sees: an evaluation published or unpublished, any change of state of a
published evaluation, a target added or edited, the target set's method or settings. What
it does not see: a published value edited in place behind the workflow's back (the
workflow refuses that; the admin could do it) - ``clear_cache()`` or a restart then helps.

Only published data is scored: every page compares like with like, and the same board
serves everyone (see ``docs/benchmarking.md``).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.db import connection
from django.db.models import Count, Max, OuterRef, Subquery

from u4ssc.apps.catalogue.models import KPI, Target, TargetSet
from u4ssc.apps.evaluations.models import Evaluation, KPIValue, State, ValueStatus
from u4ssc.core.catalogue import Catalogue, load_catalogue
from u4ssc.core.scoring import (
    HIGHER,
    LOWER,
    RANGE,
    Method,
    SDSNMethod,
    Targets,
    U4SSCMethod,
    method_from_dict,
    score,
)
from u4ssc.core.scoring.engine import Hierarchy, classify
from u4ssc.core.scoring.tables import Scorecard, hierarchy_arrays

logger = logging.getLogger(__name__)

DIRECTIONS = {"higher": HIGHER, "lower": LOWER, "range": RANGE}

# Boards kept per process (one per target set in use); each is a few tens of MB with
# 1,000 cities x 10 years, so a handful is plenty.
MAX_BOARDS = 4

FloatArray = npt.NDArray[np.float64]


# ------------------------------------------------------------------ the data version


def with_version(queryset: Any = None) -> Any:
    """Target sets annotated with what their board depends on (one query when read).

    ``n_targets``/``targets_at``: count and latest change of the set's targets;
    ``n_published``/``published_max_id``/``published_at``: count, highest id and latest
    change of published evaluations (the same for every set).
    """
    qs = queryset if queryset is not None else TargetSet.objects.all()
    targets = Target.objects.filter(target_set=OuterRef("pk")).order_by().values("target_set")
    published = Evaluation.objects.filter(state=State.PUBLISHED).order_by().values("state")
    return qs.annotate(
        n_targets=Subquery(targets.annotate(n=Count("id")).values("n")[:1]),
        targets_at=Subquery(targets.annotate(t=Max("updated_at")).values("t")[:1]),
        n_published=Subquery(published.annotate(n=Count("id")).values("n")[:1]),
        published_max_id=Subquery(published.annotate(n=Max("id")).values("n")[:1]),
        published_at=Subquery(published.annotate(t=Max("updated_at")).values("t")[:1]),
    )


def _published_version() -> tuple[Any, ...]:
    row = (
        Evaluation.objects.filter(state=State.PUBLISHED)
        .order_by()
        .aggregate(n=Count("id"), top=Max("id"), at=Max("updated_at"))
    )
    return (row["n"], row["top"], row["at"])


def version_of(target_set: TargetSet | None) -> tuple[Any, ...]:
    """The data version of ``target_set``'s board (no query when the set came from
    :func:`with_version`, one otherwise)."""
    if target_set is None:
        return (None, *_published_version())
    if not hasattr(target_set, "n_published"):
        annotated = with_version(TargetSet.objects.filter(pk=target_set.pk)).first()
        if annotated is None:
            return (None, *_published_version())
        target_set = annotated
    return (
        target_set.pk,
        target_set.updated_at,
        target_set.method,
        repr(target_set.settings),
        target_set.n_targets,
        target_set.targets_at,
        target_set.n_published,
        target_set.published_max_id,
        target_set.published_at,
    )


# ------------------------------------------------------------------ methods


def method_of(target_set: TargetSet | None) -> Method:
    """The scoring method a target set names, with its ``settings`` (unknown or invalid
    settings fall back to the method's defaults, with a warning in the log)."""
    if target_set is None:
        return U4SSCMethod()
    name = target_set.method or "u4ssc"
    cls = SDSNMethod if name == "sdsn" else U4SSCMethod
    allowed = {f.name for f in dataclasses.fields(cls)}
    given = dict(target_set.settings or {})
    data = {k: v for k, v in given.items() if k in allowed}
    try:
        return method_from_dict({"method": name, **data})
    except (TypeError, ValueError) as exc:
        logger.warning("target set %s: settings not usable (%s); defaults used", target_set, exc)
        return method_from_dict({"method": name})


# ------------------------------------------------------------------ the board


@dataclass
class Scoreboard:
    """Published values and their scores for one target set.

    Axes: ``C`` cities (``city_ids``, by id), ``M`` measurands (every KPI or data point of
    the catalogue, in catalogue order, as ``(kpi_key, data_point)``), ``K`` KPIs
    (``kpi_keys``), ``Y`` years with any published value (increasing).

    Attributes:
        values: ``float[C, M, Y]`` in the measurand's unit, NaN = not published.
        synthetic: ``bool[C, M, Y]``: generated demo value.
        quality: ``int8[C, M, Y]``: U4SSC data-quality grade 1-6 (the verifier's when
            given), 0 = none.
        card: the engine's result as a core :class:`Scorecard` (``cities`` are ids as
            strings); ``None`` when nothing is published.
        overall: ``float[C, Y]``: the city's overall score (U4SSC: all scored KPIs' points
            as a percentage of 4 per KPI; SDSN: mean of its dimension scores).
        overall_band: ``int8[C, Y]``; ``overall_n``: ``int[C, Y]`` KPIs scored.
    """

    version: tuple[Any, ...]
    target_set_id: int | None
    method: Method
    catalogue: Catalogue
    kpi_keys: list[str]
    kpi_ids: list[int]
    measurands: list[tuple[str, str]]
    kpi_of: npt.NDArray[np.int64]
    city_ids: list[int]
    years: list[int]
    values: FloatArray
    synthetic: npt.NDArray[np.bool_]
    quality: npt.NDArray[np.int8]
    targets: Targets
    card: Scorecard | None
    overall: FloatArray
    overall_band: npt.NDArray[np.int8]
    overall_n: npt.NDArray[np.int64]
    hierarchy: Hierarchy
    groups: dict[str, pd.DataFrame]
    build_seconds: float = 0.0

    def __post_init__(self) -> None:
        self.city_index = {c: i for i, c in enumerate(self.city_ids)}
        self.year_index = {y: i for i, y in enumerate(self.years)}
        self.kpi_index = {k: i for i, k in enumerate(self.kpi_keys)}
        self.kpi_index_by_id = {k: i for i, k in enumerate(self.kpi_ids)}
        self.measurand_index = {m: i for i, m in enumerate(self.measurands)}
        self.measurands_of_kpi: list[list[int]] = [[] for _ in self.kpi_keys]
        for m, k in enumerate(self.kpi_of):
            self.measurands_of_kpi[int(k)].append(m)
        self.has_target = self.targets.has_target
        self.kpi_has_target = np.bincount(
            self.kpi_of[self.has_target], minlength=len(self.kpi_keys)
        ).astype(bool)
        # group (0..G-1) of each KPI per level, and KPIs / KPIs with a target per group
        tree = self.hierarchy
        category = tree.category_of_kpi
        subdimension = tree.subdimension_of_category[category]
        self.group_of_kpi = {
            "category": category,
            "subdimension": subdimension,
            "dimension": tree.dimension_of_subdimension[subdimension],
        }
        self.kpis_per_group = {
            level: np.bincount(g, minlength=len(self.groups[level]))
            for level, g in self.group_of_kpi.items()
        }
        self.targeted_per_group = {
            level: np.bincount(
                g, weights=self.kpi_has_target.astype(float), minlength=len(self.groups[level])
            ).astype(np.int64)
            for level, g in self.group_of_kpi.items()
        }

    @property
    def is_u4ssc(self) -> bool:
        return not isinstance(self.method, SDSNMethod)

    @property
    def band_edges(self) -> tuple[float, float, float]:
        if isinstance(self.method, SDSNMethod):
            return self.method.thresholds
        return self.method.band_edges

    def c(self, city_id: int) -> int | None:
        """Row of a city (None when it has no published value)."""
        return self.city_index.get(city_id)

    def y(self, year: int) -> int | None:
        return self.year_index.get(int(year))

    def synthetic_parts(self, c: int, y: int) -> dict[str, npt.NDArray[np.bool_]]:
        """Which aggregates of city row ``c`` in year ``y`` rest on a synthetic value:
        ``{"category": bool[G], "subdimension": bool[S], "dimension": bool[D],
        "overall": bool[1]}``. An aggregate computed from any synthetic scored value is
        synthetic (a value without a target takes no part in any aggregate)."""
        r = self.card.result if self.card is not None else None
        scored = r.band[c, :, y] > 0 if r is not None else np.zeros(len(self.measurands), bool)
        kpi = np.bincount(
            self.kpi_of, weights=(self.synthetic[c, :, y] & scored), minlength=len(self.kpi_keys)
        )
        out = {
            level: np.bincount(g, weights=kpi, minlength=len(self.groups[level])) > 0
            for level, g in self.group_of_kpi.items()
        }
        out["overall"] = np.array([bool(kpi.any())])
        return out

    def years_of(self, c: int) -> list[int]:
        """Years in which city row ``c`` has a published value."""
        present = ~np.isnan(self.values[c]).all(axis=0)
        return [self.years[i] for i in np.flatnonzero(present)]


def _hierarchy_table(catalogue: Catalogue) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "kpi_code": k.code,
                "kpi_name": k.name,
                "dimension_code": k.dimension_code,
                "dimension_name": k.dimension,
                "subdimension_code": k.subdimension_code,
                "subdimension_name": k.subdimension,
                "category_code": k.category_code,
                "category_name": k.category,
                "data_points": tuple(dp.data_point for dp in k.data_points),
            }
            for k in catalogue.kpis
        ]
    )


def _targets(target_set: TargetSet | None, index: dict[tuple[str, str], int]) -> Targets:
    n = len(index)
    direction = np.zeros(n, dtype=np.int8)
    target = np.full(n, np.nan)
    low, high = np.full(n, np.nan), np.full(n, np.nan)
    if target_set is not None:
        rows = Target.objects.filter(target_set_id=target_set.pk).values_list(
            "kpi__key", "data_point", "value", "direction", "range_low", "range_high"
        )
        for key, point, value, kind, range_low, range_high in rows.order_by():
            m = index.get((key, point))
            if m is None or kind not in DIRECTIONS:
                continue  # a data point the catalogue no longer has
            direction[m] = DIRECTIONS[kind]
            if kind == "range":
                if range_low is None or range_high is None or range_low > range_high:
                    continue
                low[m], high[m] = range_low, range_high
            elif value is not None:
                target[m] = value
    return Targets(direction, target, low, high)


def build(target_set: TargetSet | None, version: tuple[Any, ...] | None = None) -> Scoreboard:
    """Score every published value against ``target_set`` (``None``: no targets).

    Four queries whatever the amount of data: KPI ids, targets, published values, and
    (through :func:`version_of`) the version when not given.
    """
    started = time.perf_counter()
    version = version if version is not None else version_of(target_set)
    catalogue = load_catalogue()
    method = method_of(target_set)
    kpi_keys = [k.key for k in catalogue.kpis]
    ids_by_key = dict(KPI.objects.values_list("key", "id"))
    kpi_ids = [ids_by_key.get(k, -1) for k in kpi_keys]
    measurands: list[tuple[str, str]] = []
    kpi_of: list[int] = []
    for k, kpi in enumerate(catalogue.kpis):
        for m in kpi.measurands():
            measurands.append((kpi.key, m.data_point))
            kpi_of.append(k)
    m_index = {pair: i for i, pair in enumerate(measurands)}
    id_index: dict[tuple[int, str], int] = {}
    for (key, point), m in m_index.items():
        if key in ids_by_key:
            id_index[(ids_by_key[key], point)] = m
    targets = _targets(target_set, m_index)

    published = (
        KPIValue.objects.filter(
            evaluation__state=State.PUBLISHED, status=ValueStatus.REPORTED, value__isnull=False
        )
        .order_by()
        .values_list(
            "evaluation__city_id",
            "evaluation__year",
            "kpi_id",
            "data_point",
            "value",
            "verified_quality",
            "quality",
            "is_synthetic",
            "evaluation__is_synthetic",
        )
    )
    # The ORM's per-row converters cost more than the query on a million rows: read the
    # same SQL with a plain cursor (booleans come as 0/1 on SQLite, which numpy takes).
    sql, params = published.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    n_m = len(measurands)
    if rows:
        city_col, year_col, kpi_col, point_col, value_col, vq_col, q_col, syn_col, esyn_col = zip(
            *rows, strict=True
        )
        mi = np.fromiter(
            (id_index.get(pair, -1) for pair in zip(kpi_col, point_col, strict=True)),
            dtype=np.int64,
            count=len(rows),
        )
        city_ids, ci = np.unique(np.asarray(city_col, dtype=np.int64), return_inverse=True)
        years, yi = np.unique(np.asarray(year_col, dtype=np.int64), return_inverse=True)
        known = mi >= 0
        shape = (len(city_ids), n_m, len(years))
        values = np.full(shape, np.nan)
        values[ci[known], mi[known], yi[known]] = np.asarray(value_col, dtype=np.float64)[known]
        synthetic = np.zeros(shape, dtype=bool)
        syn = np.asarray(syn_col, dtype=bool) | np.asarray(esyn_col, dtype=bool)
        synthetic[ci[known], mi[known], yi[known]] = syn[known]
        quality = np.zeros(shape, dtype=np.int8)
        grades = np.fromiter(
            (a or b or 0 for a, b in zip(vq_col, q_col, strict=True)),
            dtype=np.int8,
            count=len(rows),
        )
        quality[ci[known], mi[known], yi[known]] = grades[known]
        city_list = [int(c) for c in city_ids]
        year_list = [int(y) for y in years]
    else:
        city_list, year_list = [], []
        values = np.full((0, n_m, 0), np.nan)
        synthetic = np.zeros(values.shape, dtype=bool)
        quality = np.zeros(values.shape, dtype=np.int8)
    del rows

    kpis = _hierarchy_table(catalogue)
    groups, tree = hierarchy_arrays(kpis, [catalogue.get(key).code for key, _ in measurands])
    card: Scorecard | None = None
    n_c, n_y = len(city_list), len(year_list)
    overall = np.full((n_c, n_y), np.nan)
    overall_band = np.zeros((n_c, n_y), dtype=np.int8)
    overall_n = np.zeros((n_c, n_y), dtype=np.int64)
    if n_c and n_y:
        result = score(values, targets, tree, year_list, method)
        card = Scorecard(
            method=method,
            cities=[str(c) for c in city_list],
            years=year_list,
            measurands=[(catalogue.get(key).code, point) for key, point in measurands],
            kpis=kpis,
            groups=groups,
            values=values,
            targets=targets,
            result=result,
            kpi_of=tree.kpi_of_measurand,
        )
        overall, overall_n = _overall(result, method)
        edges = method.thresholds if isinstance(method, SDSNMethod) else method.band_edges
        overall_band = classify(overall, edges)
    board = Scoreboard(
        version=version,
        target_set_id=target_set.pk if target_set is not None else None,
        method=method,
        catalogue=catalogue,
        kpi_keys=kpi_keys,
        kpi_ids=kpi_ids,
        measurands=measurands,
        kpi_of=np.asarray(kpi_of, dtype=np.int64),
        city_ids=city_list,
        years=year_list,
        values=values,
        synthetic=synthetic,
        quality=quality,
        targets=targets,
        card=card,
        overall=overall,
        overall_band=overall_band,
        overall_n=overall_n,
        hierarchy=tree,
        groups=groups,
    )
    board.build_seconds = time.perf_counter() - started
    return board


def _overall(result: Any, method: Method) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """A city's overall score per year (see :class:`Scoreboard`), and KPIs scored."""
    scored = ~np.isnan(result.kpi_score)  # [C, K, Y]
    n = scored.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if isinstance(method, SDSNMethod):
            dims = result.levels["dimension"].score  # [C, D, Y]
            present = ~np.isnan(dims)
            total = np.where(present, dims, 0.0).sum(axis=1)
            count = present.sum(axis=1)
            overall = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        else:
            points = np.where(scored, result.kpi_points, 0.0).sum(axis=1)
            overall = np.where(n > 0, 100.0 * points / (4.0 * np.maximum(n, 1)), np.nan)
    return overall, n.astype(np.int64)


# ------------------------------------------------------------------ the cache

_boards: OrderedDict[int | None, Scoreboard] = OrderedDict()
_lock = threading.Lock()


def get(target_set: TargetSet | None) -> Scoreboard:
    """The board of ``target_set`` for the data as it is now: from memory when the data
    version is unchanged, rebuilt otherwise (one version query at most when cached)."""
    version = version_of(target_set)
    key = target_set.pk if target_set is not None else None
    with _lock:
        board = _boards.get(key)
        if board is not None and board.version == version:
            _boards.move_to_end(key)
            return board
    board = build(target_set, version)
    with _lock:
        _boards[key] = board
        _boards.move_to_end(key)
        while len(_boards) > MAX_BOARDS:
            _boards.popitem(last=False)
    return board


def clear_cache() -> None:
    """Forget every board (tests; after editing published values outside the workflow)."""
    with _lock:
        _boards.clear()
