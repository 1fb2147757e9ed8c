import Testing

/// The suites that start GigaVUE simulators, run one after another: each test starts a Python SSH
/// server, and running them beside every other suite would load a small machine enough to disturb
/// the timing-sensitive tests elsewhere.
@Suite(.serialized) enum OverSSH {}
