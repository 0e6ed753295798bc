"""Quality and throughput harnesses; not part of the test run."""
