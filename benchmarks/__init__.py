"""Scripts that print figures about the running app; never run as tests."""
