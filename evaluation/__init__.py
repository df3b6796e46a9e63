"""What tests and benchmarks share and the site never runs: ranking measures over judged sets and
synthetic libraries made from the real cases."""
