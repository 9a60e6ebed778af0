"""Station key, credential encryption and password hashing."""
