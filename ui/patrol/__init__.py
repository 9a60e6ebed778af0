"""Online patrol: tours on the wall, plans and watches, duty shifts and spot checks."""
