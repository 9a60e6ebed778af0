"""The live video wall: tiles, players, the gateway bridge and PTZ."""
