"""Station Console core: domain types, storage, services and the sync protocol.

This package is the part of the console that must run anywhere (CLI, tests, the hub's
protocol types). It never imports Qt, VLC, OpenCV or PyAV; ``tests/unit/test_layering.py``
enforces that.
"""

__version__ = "0.1.0"
