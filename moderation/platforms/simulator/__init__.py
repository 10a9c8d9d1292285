"""A platform simulator for the demo and the tests: the parts of each platform's API the
connectors use, with state and fault injection (app.py, state.py)."""
