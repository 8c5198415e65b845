"""Scale-out on a Dask LocalCluster gives exactly the single-process result."""

from __future__ import annotations

import numpy as np
import pytest

from tests.core.simulation.suite import SUITE
from u4ssc.core.simulation import Uniform, load_model

pytestmark = pytest.mark.slow


def test_local_cluster_result_is_identical_to_single_process():
    from dask.distributed import Client, LocalCluster

    m = load_model(SUITE / "samples" / "SIR" / "SIR.xmile", units="off")
    kw = {
        "runs": 500,
        "seed": 42,
        "outputs": ["infectious", "recovered"],
        "save_step": 1.0,
        "distributions": {"contact infectivity": Uniform(0.2, 0.4), "duration": Uniform(3, 7)},
    }
    single = m.run(**kw)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        spread = m.run(executor=client, chunk_size=130, **kw)
        by_address = m.run(executor=cluster.scheduler_address, chunk_size=200, **kw)
    np.testing.assert_array_equal(single.data, spread.data)
    np.testing.assert_array_equal(single.data, by_address.data)
    assert spread.params.equals(single.params)
