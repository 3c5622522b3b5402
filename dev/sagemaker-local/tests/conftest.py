"""Fixtures shared by the tests (helpers live in support.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support import Accounts, Server, start_server, stop_server


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    s = start_server()
    yield s
    stop_server(s)


@pytest.fixture(scope="session")
def accounts(server: Server) -> Accounts:
    return Accounts(server.url)


@pytest.fixture
def sm(accounts: Accounts) -> Any:
    return accounts.client("sagemaker")
