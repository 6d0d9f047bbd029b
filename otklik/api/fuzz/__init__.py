"""Property-based testing of the REST API with schemathesis (used by the test suite and `make fuzz`)."""
