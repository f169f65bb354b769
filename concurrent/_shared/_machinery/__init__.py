"""Machinery the backends share: the pool core, argument checks, export tables.

This is implementation, not the interface: the contract is ``concurrent._shared`` itself.  A
backend calls into these modules; user code never needs to.
"""
