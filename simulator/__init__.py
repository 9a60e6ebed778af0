"""The simulated precinct: virtual ONVIF cameras with RTSP streams and injectable faults.

Used by integration tests, benchmarks and the console's ``--demo`` mode. Start with
``Precinct`` (in-process) or ``python -m simulator --cameras N --json-ready`` (subprocess).
The time-code decoder, ``simulator.timecode.decode``, needs only numpy.
"""

from simulator.faults import Fault
from simulator.precinct import Camera, CameraInfo, Precinct

__all__ = ["Camera", "CameraInfo", "Fault", "Precinct"]
