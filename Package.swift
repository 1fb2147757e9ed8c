// swift-tools-version:6.1
// Troxileia: keeps a GigaVUE GigaStream equal to the tap ports of healthy sensor nodes,
// and validates Node labels at admission time. Module layout: ../shared/DESIGN.md "Modules".
import PackageDescription

let package = Package(
    name: "troxileia",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "troxileia", targets: ["troxileia"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
    ],
    targets: [
        // C libraries: module maps only (one per library), resolved through pkg-config.
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CLibSSH2", pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // Logic-free C wrappers for the macros and variadic functions Swift cannot call.
        .target(name: "CShims", dependencies: ["CCurl", "CLibSSH2", "COpenSSL"]),

        // Pure domain: tap port grammar, label reading, port index, admission decisions, sensor set.
        .target(name: "TroxileiaCore"),

        // TLS socket server (OpenSSL over epoll), HTTP/1.1, admission review, probes and metrics.
        .target(
            name: "Webhook",
            dependencies: [
                "TroxileiaCore", "COpenSSL", "CShims",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Kubernetes REST client on libcurl: config and auth, list + watch reflector, events, leases.
        .target(
            name: "KubeAPI",
            dependencies: [
                "TroxileiaCore", "CCurl", "CShims",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // GigaVUE tap: SSH session (libssh2), CLI dialog, the reconfiguration plan, show parsing.
        .target(
            name: "GigaVUE",
            dependencies: [
                "TroxileiaCore", "CLibSSH2", "CShims",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Reconciler: desired sensor set from nodes and pod health, debounced single-flight pushes,
        // leader gating, events, status and metrics.
        .target(
            name: "Reconciler",
            dependencies: [
                "TroxileiaCore", "KubeAPI", "GigaVUE",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // Kubernetes API stand-in for tests, the demo and benchmarks (not part of the binary).
        .target(
            name: "KubeStandIn",
            dependencies: [
                "Webhook", "KubeAPI", "TroxileiaCore", "CZlib",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["README.md"]
        ),
        // Starts and controls the GigaVUE simulator (Tests/GigaVUESimulator) for tests, benchmark and demo.
        .target(name: "GigaVUESimulatorHarness"),
        .executableTarget(
            name: "troxileia-standin",
            dependencies: [
                "KubeStandIn",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "troxileia-tap-bench",
            dependencies: ["GigaVUE", "GigaVUESimulatorHarness", "TroxileiaCore", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(name: "troxileia-state-bench", dependencies: ["TroxileiaCore"]),
        .executableTarget(name: "troxileia-kube-bench", dependencies: ["KubeAPI", "TroxileiaCore", .product(name: "Logging", package: "swift-log")]),

        .executableTarget(
            name: "troxileia",
            dependencies: [
                "TroxileiaCore", "Webhook", "GigaVUE", "Reconciler", "KubeAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            plugins: ["BuildInfoPlugin"]
        ),
        // Stamps the git commit into the binary for `troxileia version`.
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),

        // libFuzzer target for the HTTP parser and the AdmissionReview decoder (`make fuzz`, which
        // alone sets -D FUZZING); a normal build makes it a replay tool. See Tests/Fuzz/README.md.
        .executableTarget(name: "troxileia-fuzz", dependencies: ["Webhook", "TroxileiaCore"]),

        .testTarget(
            name: "TroxileiaCoreTests",
            dependencies: [
                "TroxileiaCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"]
        ),
        // Test support shared by test targets: certificates from certs/make-certs.sh, a log recorder.
        .target(name: "TestSupport", dependencies: [.product(name: "Logging", package: "swift-log")], path: "Tests/Support"),
        .testTarget(
            name: "WebhookTests",
            dependencies: ["Webhook", "TroxileiaCore", "CCurl", "CShims", "COpenSSL", "TestSupport"],
            exclude: ["HTTP/Fixtures", "Admission/Fixtures"]
        ),
        .testTarget(
            name: "KubeAPITests",
            dependencies: ["KubeAPI", "TroxileiaCore", "Webhook", "KubeStandIn", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "KubeStandInTests",
            dependencies: ["KubeStandIn", "KubeAPI", "TroxileiaCore", "Webhook"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "GigaVUETests",
            dependencies: ["GigaVUE", "TroxileiaCore", "GigaVUESimulatorHarness", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "ReconcilerTests",
            dependencies: ["Reconciler", "TroxileiaCore", "GigaVUE", "KubeAPI", "KubeStandIn", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "CShimsTests", dependencies: ["CShims", "CCurl", "CLibSSH2", "COpenSSL"]),
        // Runs the built binary as a process; depending on the target makes `swift test` build it.
        .testTarget(name: "troxileiaTests", dependencies: ["troxileia"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
