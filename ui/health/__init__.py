"""Camera health in the console: the monitor's controller, the alarm bar, the fault desk,
inspection rounds and the health dashboard."""
