"""A loopback web site for crawler tests and benchmarks (see ``tests.sites.site``)."""

from tests.sites.content import (
    NOT_REQUISITES,
    REQUISITES2_ALL,
    REQUISITES_ALL,
    REQUISITES_DIRECT,
    REQUISITES_NESTED,
    STATIC,
    Expected,
    expected,
)
from tests.sites.encodings import BOMB_DECODED_SIZE, big_body, big_chunks, bomb_entity, slow_body
from tests.sites.handler import chain_target
from tests.sites.site import LoggedRequest, TestSite

__all__ = [
    "BOMB_DECODED_SIZE",
    "NOT_REQUISITES",
    "REQUISITES2_ALL",
    "REQUISITES_ALL",
    "REQUISITES_DIRECT",
    "REQUISITES_NESTED",
    "STATIC",
    "Expected",
    "LoggedRequest",
    "TestSite",
    "big_body",
    "big_chunks",
    "bomb_entity",
    "chain_target",
    "expected",
    "slow_body",
]
